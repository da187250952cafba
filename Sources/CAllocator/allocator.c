#define _GNU_SOURCE  // dl_iterate_phdr
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

#if defined(__linux__)
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/// The program is the first object dl_iterate_phdr reports. Its relocation table (DT_RELA) is
/// read once, by the dynamic linker before main, and never again: 2.4 MB of file pages that
/// would otherwise stay mapped, and counted in the process's resident memory, to the end.
static int release_relocation_table(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    const ElfW(Phdr) *dynamic = NULL;
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        if (info->dlpi_phdr[index].p_type == PT_DYNAMIC) dynamic = &info->dlpi_phdr[index];
    }
    if (dynamic == NULL) return 1;
    uintptr_t table = 0;
    size_t bytes = 0;
    for (const ElfW(Dyn) *entry = (const ElfW(Dyn) *)(info->dlpi_addr + dynamic->p_vaddr); entry->d_tag != DT_NULL; entry++) {
        if (entry->d_tag == DT_RELA) table = entry->d_un.d_ptr;
        if (entry->d_tag == DT_RELASZ) bytes = entry->d_un.d_val;
    }
    if (table == 0 || bytes == 0) return 1;
    // glibc rewrites the address entries of a writable dynamic section to run-time addresses;
    // a read-only one keeps link-time addresses, which are below the load address.
    if (table < info->dlpi_addr) table += info->dlpi_addr;
    // Only pages of a segment that is mapped read-only from the file and that nothing wrote to
    // (not writable, not RELRO): dropped from the page tables, they would be read from the file
    // again, unchanged, if anything touched them.
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[index];
        uintptr_t start = info->dlpi_addr + header->p_vaddr, end = start + header->p_memsz;
        if (header->p_type == PT_GNU_RELRO && table < end && start < table + bytes) return 1;
    }
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return 1;
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[index];
        uintptr_t start = info->dlpi_addr + header->p_vaddr, end = start + header->p_filesz;
        if (header->p_type != PT_LOAD || (header->p_flags & PF_W) || table < start || table + bytes > end) continue;
        uintptr_t first = (table + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
        uintptr_t last = (table + bytes) & ~((uintptr_t)page - 1);
        if (first < last) madvise((void *)first, last - first, MADV_DONTNEED);
        return 1;
    }
    return 1;
}

void steward_release_relocation_table(void) { dl_iterate_phdr(release_relocation_table, NULL); }
#else
void steward_release_relocation_table(void) {}
#endif
