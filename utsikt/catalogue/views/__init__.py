"""The catalogue's pages: public.py for everyone, office.py for the International Office."""
