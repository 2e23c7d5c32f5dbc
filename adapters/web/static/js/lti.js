// LTI hand-backs that need a script, kept out of the pages because the
// Content-Security-Policy forbids inline script:
//  - a Deep Linking response form (data-lti-auto-submit) posts itself to
//    the platform; its visible Continue button works without this file;
//  - the Dynamic Registration page (data-lti-close) asks the platform to
//    close the registration window (LTI Dynamic Registration 1.0, 3.6.1).
const form = document.querySelector("form[data-lti-auto-submit]");
if (form) form.submit();

if (document.querySelector("[data-lti-close]")) {
  (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
}
