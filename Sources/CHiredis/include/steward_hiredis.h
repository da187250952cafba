#ifndef STEWARD_HIREDIS_H
#define STEWARD_HIREDIS_H

// hiredis, Redis's own C client (Debian: libhiredis-dev), linked from its static archive.
#include <hiredis/hiredis.h>

#endif
