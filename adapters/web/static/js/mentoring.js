// Progressive enhancement for the Mentoring pages. Every page works without
// this file; it only adds what NHS.UK frontend's components need and live
// progress updates. Loaded as <script type="module"> (the CSP allows no inline
// script), so it runs once, after the document is parsed.
import { initAll } from './nhsuk-frontend.min.js'

// NHS.UK frontend's page template sets these classes from an inline script,
// which our CSP forbids, so they are set here before the components start.
document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()

// Progress of a long task. The page marks up
//
//   <div data-module="app-progress" data-progress-url="/path/progress">
//     <progress class="app-progress" value="3" max="10"></progress>
//     <p class="app-progress__status" data-progress-status aria-live="polite">3 of 10</p>
//     <a href="">Refresh the page</a>  (the fallback without JavaScript)
//   </div>
//
// and the endpoint answers GET with JSON
//   { "value": 4, "max": 10, "status": "4 of 10", "done": false, "next": "/path" }
// When done, the page moves to "next" (same origin only) or reloads.
const kPollMs = 2000
const kMaxPollMs = 30000
const kMaxFailures = 5

function sameOriginUrl (candidate) {
  try {
    const url = new URL(candidate, window.location.href)
    return url.origin === window.location.origin ? url.href : null
  } catch {
    return null
  }
}

function watchProgress (root) {
  const endpoint = sameOriginUrl(root.getAttribute('data-progress-url') || '')
  if (!endpoint) return
  const bar = root.querySelector('progress')
  const status = root.querySelector('[data-progress-status]')
  let delay = kPollMs
  let failures = 0

  const poll = async () => {
    try {
      const response = await fetch(endpoint, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store'
      })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      const progress = await response.json()
      failures = 0
      delay = kPollMs
      if (bar && Number.isFinite(progress.max) && progress.max > 0) bar.max = progress.max
      if (bar && Number.isFinite(progress.value)) bar.value = progress.value
      if (status && typeof progress.status === 'string') status.textContent = progress.status
      if (progress.done) {
        const next = typeof progress.next === 'string' ? sameOriginUrl(progress.next) : null
        if (next) window.location.assign(next)
        else window.location.reload()
        return
      }
    } catch {
      // Keep the page as it is (it still has its refresh link) and back off;
      // give up after a few failures in a row rather than poll forever.
      failures += 1
      if (failures >= kMaxFailures) return
      delay = Math.min(delay * 2, kMaxPollMs)
    }
    window.setTimeout(poll, delay)
  }
  window.setTimeout(poll, delay)
}

document.querySelectorAll('[data-module="app-progress"]').forEach(watchProgress)
