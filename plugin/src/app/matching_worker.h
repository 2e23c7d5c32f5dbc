// The background worker for matching runs: app/background_worker.h over the
// matching service (app/matching_runs.h), which is the queued work. It
// claims runs that start_run and resolve_hybrid queued (when the service is
// set_background) in any plugin instance on the database, and marks runs
// whose worker stopped failed.
#pragma once

#include "app/background_worker.h"
#include "app/matching_runs.h"

namespace mentoring::app {

using MatchingWorkerOptions = BackgroundWorkerOptions;
using MatchingWorker = BackgroundWorker;

}  // namespace mentoring::app
