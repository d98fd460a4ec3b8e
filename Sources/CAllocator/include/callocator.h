#ifndef CALLOCATOR_H
#define CALLOCATOR_H

/// Keeps freed large buffers in the heap instead of returning them to the kernel (glibc's
/// mallopt, which Swift's Glibc module does not expose).
void callocator_keep_freed_memory(void);

#endif
