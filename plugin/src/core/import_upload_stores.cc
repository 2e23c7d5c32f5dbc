#include "core/import_upload_stores.h"

namespace mentoring::core {

const char* to_string(ImportUploadState s) {
  switch (s) {
    case ImportUploadState::kQueued:
      return "queued";
    case ImportUploadState::kRunning:
      return "running";
    case ImportUploadState::kFinished:
      return "finished";
  }
  return "queued";
}

}  // namespace mentoring::core
