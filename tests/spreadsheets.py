"""
Read a CSV file back the two ways its readers do: Python's csv module, and the way a spreadsheet
splits it.

Excel and LibreOffice Calc end a row at a CR, an LF or a CRLF outside quotes, and read a field
that opens with ``"`` up to the closing quote (``""`` inside is one quote, line breaks included).
:func:`spreadsheet_rows` is a strict RFC 4180 reader with exactly those row breaks: it refuses a
quote inside an unquoted field or text after a closing quote instead of guessing, so a file that
only reads right with Python's lenient reader fails here.
"""
import csv
import io

# What a spreadsheet skips before it looks for a formula character, and those characters.
BLANKS = " \t\r\n"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class NotRfc4180(ValueError):
    pass


def spreadsheet_rows(text):
    """The records of ``text`` as a spreadsheet splits them (lists of cells)."""
    rows, row, cell = [], [], []
    index, length = 0, len(text)
    quoted_cell = False
    while index < length:
        char = text[index]
        if not cell and not quoted_cell and char == '"':
            close = index + 1
            while True:
                close = text.find('"', close)
                if close == -1:
                    raise NotRfc4180(f"unclosed quote from offset {index}")
                if text.startswith('""', close):
                    close += 2
                    continue
                break
            cell.append(text[index + 1:close].replace('""', '"'))
            quoted_cell = True
            index = close + 1
            if index < length and text[index] not in ",\r\n":
                raise NotRfc4180(f"text after a closing quote at offset {index}")
            continue
        if char == ",":
            row.append("".join(cell))
            cell, quoted_cell = [], False
        elif char in "\r\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell, quoted_cell = [], [], False
            if text.startswith("\r\n", index):
                index += 1
        elif char == '"' or quoted_cell:
            raise NotRfc4180(f"a quote inside an unquoted cell at offset {index}")
        else:
            cell.append(char)
        index += 1
    if cell or row or quoted_cell:
        row.append("".join(cell))
        rows.append(row)
    return rows


def python_rows(text):
    """The records of ``text`` as Python's csv module reads them (the file opened with newline="")."""
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def read_both(text):
    """Header and records of ``text``, after checking both readers see the same cells."""
    by_python, by_spreadsheet = python_rows(text), spreadsheet_rows(text)
    assert by_spreadsheet == by_python
    return by_python[0], by_python[1:]


def runnable(cell):
    """Would a spreadsheet run this cell as a formula (it has no guarding apostrophe)?"""
    return cell.startswith(FORMULA_START) or cell.lstrip(BLANKS).startswith(FORMULA_START)
