#ifndef BACKUP_AUDIT_CLIBXML2_SHIM_H
#define BACKUP_AUDIT_CLIBXML2_SHIM_H
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/parser.h>
#endif
