"""The Luhn (modulus 10) check digit Skatteverket uses for personnummer and organisationsnummer."""


def luhn_valid(digits: str) -> bool:
    """True when the last of these ten digits is the Luhn check digit of the nine before it."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
