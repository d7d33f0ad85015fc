#ifndef VENDOR_RISK_CLIBXML2_SHIM_H
#define VENDOR_RISK_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, and its encoding.h then pulls in ICU's headers, which
// clash with the copy of ICU inside Foundation. Nothing here touches the ICU-only fields of
// xmlCharEncodingHandler (only pointers to it), so the ICU part is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/xmlerror.h>
#include <libxml/uri.h>

// xmlFree is a global function-pointer variable: Swift 6 rejects touching it from
// concurrent code, so all frees go through this shim.
static inline void cxml_free(void *p) { xmlFree(p); }

#endif
