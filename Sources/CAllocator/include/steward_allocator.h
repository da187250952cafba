#ifndef STEWARD_ALLOCATOR_H
#define STEWARD_ALLOCATOR_H

/// Fixes glibc's mmap threshold at `bytes` (mallopt(M_MMAP_THRESHOLD)), which also turns off
/// its dynamic adjustment; returns 0 where the C library has no such setting. Swift's Glibc
/// module does not expose <malloc.h>.
int steward_fix_mmap_threshold(int bytes);

/// Returns the free memory of every arena to the system (malloc_trim(0)), free pages in the
/// middle of the heap included; does nothing where the C library cannot.
void steward_release_free_memory(void);

/// Bytes the program holds in malloc'd blocks, mmapped ones included (mallinfo2), summed over
/// every arena; -1 where the C library cannot tell.
long steward_heap_in_use(void);

/// Drops the program's relocation table from its page tables: the dynamic linker reads it once,
/// before main, and its file pages would otherwise count in the process's resident memory to the
/// end (2.4 MB for steward). Only whole pages of a read-only, never-written segment; anything that
/// read them later would get them from the file again. Does nothing off Linux.
void steward_release_relocation_table(void);

#endif
