"""QR codes of invitation links, as inline SVG (segno: pure Python, no images to store)."""
import segno


def qr_svg(link, title=""):
    """An <svg> of the link's QR code (error correction M), sized by the page's CSS."""
    code = segno.make(link, error="m", micro=False)
    return code.svg_inline(scale=4, border=2, omitsize=True, svgclass="qr", lineclass=None, title=title or None)
