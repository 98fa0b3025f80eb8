#ifndef BACKUP_AUDIT_CZLIB_SHIM_H
#define BACKUP_AUDIT_CZLIB_SHIM_H
#include <zlib.h>
#endif
