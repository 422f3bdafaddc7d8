# Stand-in for the PyPI "bitmap" package (not in Debian): the two calls tini's test uses.
class BitMap:
    def __init__(self, bits):
        self._bits = bits

    @classmethod
    def fromstring(cls, text):
        # text is MSB first ("1010"): bit i counts from the right
        return cls({i for i, c in enumerate(reversed(text)) if c == "1"})

    def nonzero(self):
        return sorted(self._bits)
