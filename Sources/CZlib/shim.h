#ifndef EVENTLAB_CZLIB_SHIM_H
#define EVENTLAB_CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 is a macro in zlib.h, which Swift cannot call; this wrapper can be.
/// Starts inflating gzip data (windowBits 16 + 15 selects the gzip wrapper).
static inline int eventlab_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}

#endif
