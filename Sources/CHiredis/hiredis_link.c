// The target exists for its header and its link flags (Package.swift): hiredis is linked from
// libhiredis.a so that the release binary does not need the shared library.
#include "steward_hiredis.h"
