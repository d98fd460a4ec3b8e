// A broker allocates megabyte buffers for every fetch and produce; glibc would map fresh pages
// for each and unmap them on free, paying a page fault and zeroing every time.
#include "callocator.h"

#include <malloc.h>

void callocator_keep_freed_memory(void) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest (HEAP_MAX_SIZE / 2); more is refused
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}
