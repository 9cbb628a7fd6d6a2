/* Starts Swagger UI on /api/v1/docs from this file, not from an inline script, so the page keeps
   the strict Content-Security-Policy (script-src 'self'). */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: false,
    tryItOutEnabled: false,
    validatorUrl: null,
    persistAuthorization: false
  });
});
