// Hardware CRC-32C, as Kafka's Java client gets from the JVM intrinsic and librdkafka from SSE4.2.
// Swift has no portable way to emit the CRC32 instruction, hence this small C file.
//
// The instruction takes 3 cycles but can start one every cycle, so one running CRC uses a third
// of it. Long inputs are cut into three lanes whose CRCs run side by side and are then joined:
// a CRC state is linear, so running it over N zero bytes (a "shift") is a table lookup, and
// CRC(a ‖ b) = shift(CRC(a), |b|) ^ CRC over b started from 0.
#include "ccrc32c.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)

int ccrc32c_hardware_available(void) {
    return __builtin_cpu_supports("sse4.2");
}

enum { LONG_LANE = 8192, SHORT_LANE = 256 };

// shift_tables[k][i][b]: the state after running (b << 8i) over LONG_LANE (k = 0) or
// SHORT_LANE (k = 1) zero bytes.
static uint32_t shift_tables[2][4][256];
static pthread_once_t shift_tables_once = PTHREAD_ONCE_INIT;

__attribute__((target("sse4.2")))
static uint32_t over_zeros(uint32_t state, size_t length) {
    uint64_t wide = state;
    for (size_t done = 0; done < length; done += 8) wide = __builtin_ia32_crc32di(wide, 0);
    return (uint32_t)wide;
}

static void make_shift_tables(void) {
    for (int i = 0; i < 4; i++) {
        for (uint32_t b = 0; b < 256; b++) {
            shift_tables[0][i][b] = over_zeros(b << (8 * i), LONG_LANE);
            shift_tables[1][i][b] = over_zeros(b << (8 * i), SHORT_LANE);
        }
    }
}

static uint32_t shift(uint32_t table[4][256], uint32_t state) {
    return table[0][state & 0xff] ^ table[1][(state >> 8) & 0xff] ^ table[2][(state >> 16) & 0xff] ^ table[3][state >> 24];
}

static uint64_t load(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, 8);
    return word;
}

// Runs `state` over as many blocks of three `lane`-byte lanes as `*length` holds, advancing `*p`.
__attribute__((target("sse4.2")))
static uint32_t three_lanes(uint32_t state, const unsigned char **p, size_t *length, size_t lane, uint32_t table[4][256]) {
    while (*length >= 3 * lane) {
        const unsigned char *a = *p, *b = a + lane, *c = b + lane;
        uint64_t crc_a = state, crc_b = 0, crc_c = 0;
        for (size_t i = 0; i < lane; i += 8) {
            crc_a = __builtin_ia32_crc32di(crc_a, load(a + i));
            crc_b = __builtin_ia32_crc32di(crc_b, load(b + i));
            crc_c = __builtin_ia32_crc32di(crc_c, load(c + i));
        }
        state = shift(table, (uint32_t)crc_a) ^ (uint32_t)crc_b;
        state = shift(table, state) ^ (uint32_t)crc_c;
        *p += 3 * lane;
        *length -= 3 * lane;
    }
    return state;
}

__attribute__((target("sse4.2")))
uint32_t ccrc32c_hardware_update(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    uint32_t state = crc;
    if (length >= 3 * SHORT_LANE) {
        pthread_once(&shift_tables_once, make_shift_tables);
        state = three_lanes(state, &p, &length, LONG_LANE, shift_tables[0]);
        state = three_lanes(state, &p, &length, SHORT_LANE, shift_tables[1]);
    }
    uint64_t wide = state;
    while (length >= 8) {
        wide = __builtin_ia32_crc32di(wide, load(p));
        p += 8;
        length -= 8;
    }
    uint32_t small = (uint32_t)wide;
    while (length > 0) {
        small = __builtin_ia32_crc32qi(small, *p);
        p++;
        length--;
    }
    return small;
}

#else

int ccrc32c_hardware_available(void) { return 0; }

uint32_t ccrc32c_hardware_update(uint32_t crc, const void *bytes, size_t length) {
    (void)bytes;
    (void)length;
    return crc;
}

#endif
