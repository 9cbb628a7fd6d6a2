/* A form without an action posts to the page's own address, fragment included: after the skip
 * link ("#main") that is ".../new#main", and a page whose address names a fragment gets no
 * autofocus (HTML's "flush autofocus candidates"), so a refused form's error summary would not take
 * the focus. Posting to the address without its fragment keeps it. Without JavaScript the form
 * still works; only the focus stays at the top of the main content.
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && !form.getAttribute("action") && location.hash) {
      form.setAttribute("action", location.pathname + location.search);
    }
  }, true);
}());
