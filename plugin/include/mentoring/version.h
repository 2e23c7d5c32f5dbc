/* Version numbers of the mentoring plugin and of its C ABI. */
#ifndef MENTORING_VERSION_H
#define MENTORING_VERSION_H

/* The release of the plugin, for people and logs. */
#define MENTORING_VERSION_STRING "0.1.0"

/* The C ABI version. It changes only when an existing function or struct
 * changes incompatibly; new functions and new trailing struct fields do not
 * change it (structs carry their own size). A host passes the version it was
 * compiled against to mentoring_open(), which refuses a mismatch. */
#define MENTORING_ABI_VERSION 1u

#endif /* MENTORING_VERSION_H */
