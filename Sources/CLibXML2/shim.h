#ifndef BACKUP_AUDIT_CLIBXML2_SHIM_H
#define BACKUP_AUDIT_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so its encoding.h pulls in the system's <unicode/*.h>; those
 * clash with the ICU module Foundation ships (_FoundationICU) in any target that imports both.
 * Nothing here uses libxml2's ICU converters (the only fields ICU adds are inside
 * xmlCharEncodingHandler, which this code never touches), so hide them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/parser.h>
#endif
