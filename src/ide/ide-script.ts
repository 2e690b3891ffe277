// Browser code, kept as text so that `tsc` (which copies no other files) ships it in dist/.
// It runs as a classic script after the React, GraphiQL and graphql-ws UMD builds.

/** Full height for GraphiQL; a file rather than an inline style so the CSP can forbid those. */
export const IDE_STYLE = `html, body, #graphiql { height: 100%; margin: 0; }
`;

/**
 * GraphiQL's fetcher: queries and mutations as JSON POSTs carrying the headers editor's
 * headers; subscriptions over graphql-ws (graphql-transport-ws), one socket each, whose
 * `connection_init` payload carries the same Authorization header. When the server closes
 * the socket (4403 after `sessionRevoked`), the last result stays on screen with the close
 * code added under `extensions.websocket` instead of the IDE waiting or retrying.
 */
export const IDE_SCRIPT = `"use strict";
(function () {
  var root = document.getElementById("graphiql");
  var httpUrl = new URL(root.dataset.endpoint, window.location.href);
  var wsUrl = httpUrl.href.replace(/^http/, "ws");

  function authorizationOf(headers) {
    var name = Object.keys(headers || {}).find(function (key) { return key.toLowerCase() === "authorization"; });
    return name ? String(headers[name]) : undefined;
  }

  function isSubscription(documentAST, operationName) {
    var operations = ((documentAST && documentAST.definitions) || []).filter(function (d) { return d.kind === "OperationDefinition"; });
    var chosen = operationName ? operations.find(function (d) { return d.name && d.name.value === operationName; }) : operations[0];
    return Boolean(chosen && chosen.operation === "subscription");
  }

  function postJson(params, headers) {
    return fetch(httpUrl, {
      method: "POST",
      headers: Object.assign({}, headers, { "content-type": "application/json", accept: "application/json" }),
      body: JSON.stringify(params),
    }).then(function (response) {
      return response.text().then(function (text) {
        try { return JSON.parse(text); }
        catch (e) { return { errors: [{ message: "HTTP " + response.status + ": " + text }] }; }
      });
    });
  }

  function endOf(last, problem) {
    if (problem && typeof problem.code === "number") {
      var closed = { closed: problem.code, reason: problem.reason };
      if (!last) return { errors: [{ message: "WebSocket closed " + problem.code + (problem.reason ? ": " + problem.reason : "") }], extensions: { websocket: closed } };
      return Object.assign({}, last, { extensions: Object.assign({}, last.extensions, { websocket: closed }) });
    }
    if (Array.isArray(problem)) return { errors: problem };
    return { errors: [{ message: problem instanceof Error ? problem.message : "WebSocket connection failed" }] };
  }

  function subscribe(params, headers) {
    return {
      subscribe: function (sink) {
        var authorization = authorizationOf(headers);
        var last = null;
        var closedWith = null;
        var completing = false;
        var finished = false;
        // After sessionRevoked the server completes the subscription, then closes with 4403:
        // wait briefly for that close so it can be shown with the event.
        function finish() {
          if (finished) return;
          finished = true;
          if (closedWith && last) sink.next(endOf(last, closedWith));
          sink.complete();
          client.dispose();
        }
        var client = graphqlWs.createClient({
          url: wsUrl,
          connectionParams: authorization ? { authorization: authorization } : {},
          // One socket per subscription, kept open until the server closes it, so its close code is seen.
          lazy: false,
          onNonLazyError: function () {},
          on: {
            closed: function (event) {
              if (event && typeof event.code === "number" && event.code !== 1000) closedWith = event;
              if (completing) finish();
            },
          },
          // An ended session or a refused token will not get better by retrying.
          shouldRetry: function (event) { return !(event && (event.code === 4401 || event.code === 4403)); },
        });
        var stop = client.subscribe(params, {
          next: function (result) { last = result; sink.next(result); },
          error: function (problem) {
            if (finished) return;
            finished = true;
            sink.next(endOf(last, problem));
            sink.complete();
            client.dispose();
          },
          complete: function () {
            completing = true;
            if (closedWith) finish();
            else setTimeout(finish, 1000);
          },
        });
        return { unsubscribe: function () { finished = true; stop(); client.dispose(); } };
      },
    };
  }

  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    if (isSubscription(options && options.documentAST, params.operationName)) return subscribe(params, headers);
    return postJson(params, headers);
  }

  var defaultQuery = [
    "# Session service admin IDE",
    "#",
    "# Paste an access token (from the login",
    "# mutation) into the Authorization header",
    "# below: queries and mutations send it over",
    "# HTTP, subscriptions in connection_init.",
    "",
    "query Me {",
    "  me { id email role }",
    "}",
    "",
  ].join("\\n");

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultHeaders: JSON.stringify({ Authorization: "Bearer <paste access token>" }, null, 2),
      defaultEditorToolsVisibility: "headers",
      // Access tokens stay out of localStorage.
      shouldPersistHeaders: false,
    }),
  );
})();
`;
