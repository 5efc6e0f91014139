"""Story photos: checked by their content, not their name, and re-encoded before storing.

Pillow must recognise the bytes as JPEG, PNG or WebP; the image is then drawn anew as a
JPEG no wider than MAX_SIDE, which drops anything riding along in the file (metadata,
trailing data, a script pretending to be an image).
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 1600
FORMATS = {"JPEG", "PNG", "WEBP"}


def reencoded(upload: UploadedFile[bytes], name: str) -> ContentFile[bytes]:
    """The photo as a fresh JPEG, or ValidationError with a reason a person understands."""
    if upload.size is None or upload.size > MAX_BYTES:
        raise ValidationError(_("The photo may be at most 5 MB."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The photo may be at most 5 MB."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise ValidationError(_("Upload a photo as JPEG, PNG or WebP."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("Upload a photo as JPEG, PNG or WebP.")) from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{name}.jpg")
