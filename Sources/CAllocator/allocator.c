#include "steward_allocator.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>

int steward_fix_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }

void steward_release_free_memory(void) { malloc_trim(0); }

long steward_heap_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return (long)(info.uordblks + info.hblkhd);
}
#else
int steward_fix_mmap_threshold(int bytes) {
    (void)bytes;
    return 0;
}

void steward_release_free_memory(void) {}

long steward_heap_in_use(void) { return -1; }
#endif
