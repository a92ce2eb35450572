"""Why a PDF could not be read: every error names the file and the reason."""


class PdfError(Exception):
    """A PDF that cannot be extracted; the message names the file and the reason."""


class EncryptedPdfError(PdfError):
    """The PDF needs a password to open."""


class BrokenPdfError(PdfError):
    """The file is not a readable PDF (truncated, corrupt, not a PDF at all)."""


class OcrUnavailableError(PdfError):
    """OCR was asked for scanned pages but tesseract or its language data is missing."""
