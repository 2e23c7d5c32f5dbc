/* Symbol visibility for the mentoring plugin's C ABI. */
#ifndef MENTORING_EXPORT_H
#define MENTORING_EXPORT_H

#if defined(_WIN32)
#  define MENTORING_EXPORT __declspec(dllexport)
#else
#  define MENTORING_EXPORT __attribute__((visibility("default")))
#endif

#endif /* MENTORING_EXPORT_H */
