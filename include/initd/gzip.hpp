// A gzip stream (RFC 1952) without zlib, for dock's log rotation: LZ77 over a 32 KiB
// window, coded with deflate's fixed Huffman code (RFC 1951, 3.2.6). No dynamic trees
// and no stored blocks: far less code, and log lines still shrink several times.
// Incompressible input grows by about 6 % (bytes over 143 take 9 bits). About 40 MB/s.
#pragma once

#include <cstddef>
#include <cstdint>

namespace initd {

class GzipWriter {
public:
    // Takes each full output buffer; false (a failed write) makes the writer fail.
    using Sink = bool (*)(void* ctx, const unsigned char* data, std::size_t n);

    // Starts a new stream (any earlier one is forgotten). Writes nothing to the sink yet.
    void begin(Sink sink, void* ctx);
    // Compresses `n` bytes; the sink is called whenever the output buffer fills. False
    // once the sink has failed (and from then on).
    bool write(const unsigned char* data, std::size_t n);
    // Compresses what is left, ends the stream (CRC-32, length) and hands the sink the
    // rest. False if the sink failed at any time. Then begin() again for another stream.
    bool finish();

private:
    static constexpr unsigned kWindow = 32768;        // deflate's farthest distance
    static constexpr unsigned kBuffer = 2 * kWindow;  // the window, then new input
    static constexpr unsigned kHashBits = 14;
    static constexpr unsigned kOut = 4096;

    void put(unsigned bits, unsigned count);
    void put_symbol(unsigned symbol);
    void put_code(unsigned value, unsigned mantissa_bits, bool length);
    void compress(unsigned until);
    unsigned find_match(unsigned& distance) const;
    void insert(unsigned at);
    void drain();

    Sink sink_;
    void* ctx_;
    bool failed_;
    std::uint32_t crc_, size_;
    std::uint32_t bits_;
    unsigned bit_count_, out_used_;
    unsigned pos_, end_;  // next byte to code, end of the input in buffer_
    // chain_[p % kWindow]: the previous position with p's hash; then the hash heads.
    // Positions are indexes in buffer_, 0 meaning none (the first byte is never a match).
    std::uint16_t chain_[kWindow + (1u << kHashBits)];
    unsigned char buffer_[kBuffer + 1];  // + 1: hash() reads a word at the last 3 bytes
    unsigned char out_[kOut];
};

// About 164 KiB: place it in .lbss (INITD_LARGE_BSS) so that it costs nothing until used.
static_assert(sizeof(GzipWriter) < 168 * 1024);

}  // namespace initd
