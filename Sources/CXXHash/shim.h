#ifndef VENDOR_RISK_CXXHASH_SHIM_H
#define VENDOR_RISK_CXXHASH_SHIM_H

// xxHash (Debian's libxxhash-dev): XXH3-128, the digest a feed file's content is compared by.
#include <xxhash.h>

#endif
