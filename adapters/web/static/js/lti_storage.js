// LTI client-side OIDC storage (docs/lti.md, "Cookies, iframes and
// browsers"), kept out of the pages because the Content-Security-Policy
// forbids inline script:
//  - the login page (data-lti-storage="put") keeps the state and the nonce in
//    the portal's frame with lti.put_data, then goes on to the portal;
//  - the launch page (data-lti-storage="get") reads both back with
//    lti.get_data, compares them and posts the launch again with what it read
//    (or with the reason it could not).
// Messages are sent only to the origin of the portal's OIDC authorization
// URL, and only answers from exactly that origin, to our own message id,
// are read.
const CAPABILITIES_MS = 1000;
const ANSWER_MS = 2000;

const el = document.querySelector('[data-lti-storage]');

function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The portal's window: the one framing this page, or the one that opened it.
function platformWindow() {
  if (window.parent && window.parent !== window) return window.parent;
  return window.opener || null;
}

function frameNamed(name) {
  const host = platformWindow();
  if (!host) return null;
  if (name === '_parent') return host;
  try {
    return host.frames[name] || null;
  } catch {
    return null;
  }
}

// Sends `message` to `target` and resolves with the answer: subject
// "<subject>.response", our message_id, from `origin` only.
function ask(target, origin, message, ms) {
  return new Promise((resolve, reject) => {
    const id = newId();
    let timer = 0;
    function done() {
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
    }
    function onMessage(event) {
      if (event.origin !== origin) return;
      const data = event.data;
      if (!data || typeof data !== 'object') return;
      if (data.subject !== `${message.subject}.response` || data.message_id !== id) return;
      done();
      if (data.error) reject(new Error('platform_error'));
      else resolve(data);
    }
    timer = setTimeout(() => {
      done();
      reject(new Error('no_answer'));
    }, ms);
    window.addEventListener('message', onMessage);
    try {
      target.postMessage({ ...message, message_id: id }, origin);
    } catch {
      done();
      reject(new Error('no_answer'));
    }
  });
}

// The frame that takes `subject`: the one the portal's
// lti.capabilities.response names, else lti_storage_target. null when the
// portal says it does not take the message.
async function storageFrame(origin, target, subject) {
  const host = platformWindow();
  if (!host) return null;
  try {
    const caps = await ask(host, origin, { subject: 'lti.capabilities' }, CAPABILITIES_MS);
    if (Array.isArray(caps.supported_messages)) {
      const entry = caps.supported_messages.find((m) => m && m.subject === subject);
      if (!entry) return null;
      if (typeof entry.frame === 'string' && entry.frame) return frameNamed(entry.frame);
    }
  } catch {
    // No capabilities answer: lti_storage_target names the frame.
  }
  return frameNamed(target);
}

async function putValues(d) {
  const frame = await storageFrame(d.platformOrigin, d.storageTarget, 'lti.put_data');
  if (!frame) return;
  for (const [key, value] of [[`state_${d.state}`, d.state], [`nonce_${d.nonce}`, d.nonce]]) {
    await ask(frame, d.platformOrigin, { subject: 'lti.put_data', key, value }, ANSWER_MS);
  }
}

async function getValues(d) {
  const frame = await storageFrame(d.platformOrigin, d.storageTarget, 'lti.get_data');
  if (!frame) throw new Error('no_answer');
  const read = [];
  for (const [key, expected] of [[`state_${d.state}`, d.state], [`nonce_${d.nonce}`, d.nonce]]) {
    const answer = await ask(frame, d.platformOrigin, { subject: 'lti.get_data', key }, ANSWER_MS);
    // A frame that no longer holds the value answers null: it gave nothing
    // back; a value that differs is another sign-in's.
    if (answer.key !== key || answer.value === null || answer.value === undefined) throw new Error('no_answer');
    if (typeof answer.value !== 'string' || answer.value !== expected) throw new Error('mismatch');
    read.push(answer.value);
  }
  return read;
}

function field(form, name) {
  return form.querySelector(`input[name="${name}"]`);
}

if (el && el.dataset.ltiStorage === 'put') {
  // Whatever the portal answers, the sign-in goes on: a browser that keeps
  // the cookie needs nothing more, and the launch says so if neither worked.
  putValues(el.dataset).catch(() => {}).finally(() => window.location.replace(el.dataset.redirect));
}

if (el && el.dataset.ltiStorage === 'get') {
  getValues(el.dataset)
    .then(([state, nonce]) => {
      field(el, 'lti_storage_state').value = state;
      field(el, 'lti_storage_nonce').value = nonce;
    })
    .catch((e) => {
      field(el, 'lti_storage_error').value = ['mismatch', 'platform_error'].includes(e.message) ? e.message : 'no_answer';
    })
    .finally(() => el.submit());
}
