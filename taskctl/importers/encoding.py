"""Decode the text files clerks receive: UTF-8 (with or without BOM), UTF-16 (Word's
"Unicode text"), GB18030/GBK (what Chinese Windows and Excel save by default)."""

from __future__ import annotations

from taskctl.errors import DataFileError

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8（带 BOM）"
UTF16 = "UTF-16"
GB18030 = "GB18030/GBK"


def _bad_line(raw: bytes, exc: UnicodeDecodeError) -> int:
    return raw.count(b"\n", 0, exc.start) + 1


def decode(raw: bytes, path: object) -> tuple[str, str]:
    """The text and the name of the encoding it was in; CRLF and CR become LF.

    Bytes that are neither UTF-8 nor GB18030 raise :class:`DataFileError` naming the line of the
    first undecodable byte, so no garbled text reaches ``tasks.yaml``.
    """
    if raw.startswith(b"PK\x03\x04"):
        raise DataFileError(
            path, "这是 Word/Excel 文件（ZIP），不是文本；请把扩展名改为 .docx 或 .xlsx"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = raw.decode("utf-16"), UTF16
        except UnicodeDecodeError as exc:
            raise DataFileError(path, "UTF-16 文本中有无法解码的字节") from exc
    elif raw.startswith(b"\xef\xbb\xbf"):
        try:
            text, encoding = raw[3:].decode("utf-8"), UTF8_BOM
        except UnicodeDecodeError as exc:
            raise DataFileError(
                path, "文件以 UTF-8 BOM 开头，但含有不是 UTF-8 的字节", _bad_line(raw, exc)
            ) from None
    else:
        try:
            text, encoding = raw.decode("utf-8"), UTF8
        except UnicodeDecodeError as utf8_error:
            try:
                text, encoding = raw.decode("gb18030"), GB18030
            except UnicodeDecodeError:
                raise DataFileError(
                    path,
                    "无法识别的编码：既不是 UTF-8，也不是 GB18030/GBK"
                    "（从这一行起有无法解码的字节）；请以 UTF-8 另存后再试",
                    _bad_line(raw, utf8_error),
                ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataFileError(path, "含有 NUL 字符，不是文本文件", line)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
