"""The catalogue's pages: public.py for everyone, office.py for the international office."""
