#ifndef CCRC32_H
#define CCRC32_H

#include <stddef.h>
#include <stdint.h>

/// The CRC-32 (IEEE 802.3, zlib's) of `length` bytes continued from `crc` (0 to start), folded
/// with carry-less multiplication where the CPU has it and by zlib otherwise.
uint32_t ccrc32_update(uint32_t crc, const void *bytes, size_t length);

#endif
