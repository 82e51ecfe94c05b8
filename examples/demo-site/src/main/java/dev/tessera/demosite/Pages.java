package dev.tessera.demosite;

import java.util.List;

/** Server-side HTML of every page of the demo site. */
final class Pages {

  private static final String SITE_NAME = "Demo Back Office";

  /** Rows that {@code /catalog/live} draws at once. */
  static final int LIVE_BATCH_ROWS = 3;

  /** Milliseconds between two batches of {@code /catalog/live}. */
  static final int LIVE_BATCH_MILLIS = 150;

  private static final String CSS =
      """
      *{box-sizing:border-box}
      body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;\
      color:#1f2933;background:#f3f5f8}
      a{color:#2554c7;text-decoration:none}a:hover{text-decoration:underline}
      .topbar{display:flex;align-items:center;gap:24px;padding:0 24px;height:52px;\
      background:#1f2a44;color:#fff}
      .brand{font-weight:600;letter-spacing:.02em}
      .topbar nav{display:flex;gap:16px;flex:1}.topbar nav a,.account a{color:#c9d6f5}
      .account{display:flex;gap:12px;align-items:center;color:#c9d6f5}
      .content{max-width:960px;margin:32px auto;padding:0 24px}
      .card{background:#fff;border:1px solid #dde3ec;border-radius:8px;padding:24px;\
      box-shadow:0 1px 2px rgba(16,24,40,.05)}
      .narrow{max-width:380px;margin:64px auto}
      h1{font-size:24px;margin:0 0 16px}
      label{display:block;margin:12px 0 4px;font-weight:500}
      input[type=text],input[type=password]{width:100%;padding:8px 10px;\
      border:1px solid #c3ccd9;border-radius:6px;font:inherit}
      button{margin-top:20px;width:100%;padding:9px;border:0;border-radius:6px;\
      background:#2554c7;color:#fff;font:inherit;font-weight:600;cursor:pointer}
      .error{background:#fdecec;border:1px solid #f5b5b5;color:#8a1c1c;padding:8px 12px;\
      border-radius:6px}
      .notice{background:#eef3fd;border:1px solid #c7d6f6;padding:8px 12px;border-radius:6px}
      .muted{color:#67748a}
      .stats{display:grid;grid-template-columns:repeat(3,1fr);gap:16px;margin:24px 0}
      .stat .value{font-size:26px;font-weight:600}
      table{width:100%;border-collapse:collapse;background:#fff}
      th,td{text-align:left;padding:8px 12px;border-bottom:1px solid #e4e8ef}
      th{background:#f7f9fc;font-weight:600;color:#46536a}
      td.amount,th.amount,td.value{text-align:right;font-variant-numeric:tabular-nums}
      .status{font-weight:500}
      .pager{display:flex;gap:16px;align-items:center;margin-top:16px}
      """;

  private Pages() {}

  /** Which error the login form shows. */
  enum LoginError {
    /** None: a first visit. */
    NONE,
    /** "Invalid username or password". */
    INVALID,
    /** The account is locked: "Account locked after N failed logins" plus {@code #login-locked}. */
    LOCKED
  }

  /**
   * The login form; {@code lockoutAfter} is the lockout threshold that a {@link LoginError#LOCKED}
   * message names.
   */
  static String login(
      String csrf, String next, String username, LoginError error, int lockoutAfter) {
    StringBuilder body = new StringBuilder();
    body.append("<section class=\"card narrow\">\n<h1>Sign in</h1>\n");
    switch (error) {
      case INVALID ->
          body.append(
              "<p id=\"login-error\" class=\"error\" role=\"alert\">"
                  + "Invalid username or password</p>\n");
      case LOCKED ->
          body.append("<p id=\"login-error\" class=\"error\" role=\"alert\">")
              .append(lockedMessage(lockoutAfter))
              .append("</p>\n")
              .append(
                  "<p id=\"login-locked\" class=\"notice\">This account is locked."
                      + " A password reset or an administrator unlocks it.</p>\n");
      case NONE -> {
        // no message
      }
    }
    body.append("<form id=\"login-form\" method=\"post\" action=\"/login\">\n")
        .append(hidden("csrf", csrf))
        .append(next == null ? "" : hidden("next", next))
        .append("<label for=\"username\">Username</label>\n")
        .append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\"")
        .append(" value=\"")
        .append(escape(username == null ? "" : username))
        .append("\">\n")
        .append("<label for=\"password\">Password</label>\n")
        .append(
            "<input id=\"password\" name=\"password\" type=\"password\""
                + " autocomplete=\"current-password\">\n")
        .append("<button id=\"login-button\" type=\"submit\">Sign in</button>\n")
        .append("</form>\n</section>\n");
    return layout("Sign in", null, body.toString(), null);
  }

  /** "Account locked after 3 failed logins", with the threshold as the number. */
  static String lockedMessage(int lockoutAfter) {
    return "Account locked after " + lockoutAfter + " failed logins";
  }

  static String otp(DemoUser user, boolean failed) {
    StringBuilder body = new StringBuilder();
    body.append("<section class=\"card narrow\">\n<h1>Two-step verification</h1>\n")
        .append("<p class=\"muted\">Signing in as <strong id=\"otp-user\">")
        .append(escape(user.username()))
        .append("</strong>. Enter the 6-digit code from your authenticator app.</p>\n");
    if (failed) {
      body.append(
          "<p id=\"otp-error\" class=\"error\" role=\"alert\">Invalid verification code</p>\n");
    }
    body.append("<form id=\"otp-form\" method=\"post\" action=\"/login/otp\">\n")
        .append("<label for=\"otp\">Verification code</label>\n")
        .append(
            "<input id=\"otp\" name=\"code\" type=\"text\" inputmode=\"numeric\""
                + " autocomplete=\"one-time-code\" maxlength=\"6\">\n")
        .append("<button id=\"otp-button\" type=\"submit\">Verify</button>\n")
        .append("</form>\n</section>\n");
    return layout("Two-step verification", null, body.toString(), null);
  }

  static String dashboard(DemoUser user, String apiToken, List<Invoice> invoices) {
    long open = invoices.stream().filter(invoice -> invoice.status().equals("Open")).count();
    long overdue = invoices.stream().filter(invoice -> invoice.status().equals("Overdue")).count();
    String body =
        "<h1 id=\"welcome\">Welcome, "
            + escape(user.displayName())
            + "</h1>\n"
            + "<p class=\"muted\">Signed in as <span id=\"user-name\">"
            + escape(user.username())
            + "</span> (<span id=\"user-email\">"
            + escape(user.email())
            + "</span>)</p>\n"
            + "<section class=\"stats\">\n"
            + stat("invoice-count", "Invoices", invoices.size())
            + stat("open-count", "Open", open)
            + stat("overdue-count", "Overdue", overdue)
            + "</section>\n"
            + "<section class=\"card\">\n<h2>Shortcuts</h2>\n<ul>\n"
            + "<li><a id=\"dashboard-invoices\" href=\"/invoices\">Browse your invoices</a></li>\n"
            + "<li><a id=\"dashboard-reports\" href=\"/reports\">See your reports</a></li>\n"
            + "</ul>\n</section>\n";
    String script = "localStorage.setItem('demo_token', '" + apiToken + "');";
    return layout("Dashboard", user, body, script);
  }

  static String invoices(DemoUser user, List<Invoice> invoices, int page, int pages) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>Invoices</h1>\n<div class=\"card\">\n")
        .append("<table id=\"invoices\">\n<thead>\n<tr>")
        .append("<th class=\"number\">Number</th><th class=\"date\">Date</th>")
        .append("<th class=\"customer\">Customer</th><th class=\"amount\">Amount</th>")
        .append("<th class=\"status\">Status</th></tr>\n</thead>\n<tbody>\n");
    for (Invoice invoice : invoices) {
      body.append("<tr class=\"invoice\" data-number=\"")
          .append(escape(invoice.number()))
          .append("\">")
          .append(cell("number", invoice.number()))
          .append(cell("date", invoice.date()))
          .append(cell("customer", invoice.customer()))
          .append(cell("amount", invoice.amount()))
          .append(cell("status", invoice.status()))
          .append("</tr>\n");
    }
    body.append("</tbody>\n</table>\n<nav class=\"pager\">\n");
    if (page > 1) {
      body.append("<a id=\"prev-page\" rel=\"prev\" href=\"/invoices?page=")
          .append(page - 1)
          .append("\">&larr; Previous</a>\n");
    }
    body.append("<span id=\"page-info\">Page ")
        .append(page)
        .append(" of ")
        .append(pages)
        .append("</span>\n");
    if (page < pages) {
      body.append("<a id=\"next-page\" rel=\"next\" href=\"/invoices?page=")
          .append(page + 1)
          .append("\">Next &rarr;</a>\n");
    }
    body.append("</nav>\n</div>\n");
    return layout("Invoices", user, body.toString(), null);
  }

  static String catalog(List<Catalog.Product> products, int page, int pages) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>Catalog</h1>\n<div class=\"card\">\n")
        .append("<table id=\"products\">\n<thead>\n<tr>")
        .append("<th class=\"sku\">SKU</th><th class=\"name\">Product</th>")
        .append("<th class=\"price\">Price</th></tr>\n</thead>\n<tbody>\n");
    for (Catalog.Product product : products) {
      body.append("<tr class=\"product\">")
          .append(cell("sku", product.sku()))
          .append(cell("name", product.name()))
          .append(cell("price", product.price()))
          .append("</tr>\n");
    }
    body.append("</tbody>\n</table>\n<nav class=\"pager\">\n")
        .append("<span id=\"page-info\">Page ")
        .append(page)
        .append(" of ")
        .append(pages)
        .append("</span>\n");
    if (page < pages) {
      body.append("<a id=\"next-page\" rel=\"next\" href=\"/catalog?page=")
          .append(page + 1)
          .append("\">Next &rarr;</a>\n");
    }
    body.append("</nav>\n</div>\n");
    return layout("Catalog", null, body.toString(), null);
  }

  /**
   * The catalog page whose rows a script draws late: the server sends an empty {@code tbody} and
   * the page's data as JSON in {@code script#catalog-data}; {@code delayMillis} after the load
   * event the script appends the rows in batches of {@value #LIVE_BATCH_ROWS}, one batch every
   * {@value #LIVE_BATCH_MILLIS} ms, then sets {@code #page-info} and {@code data-complete="true"}
   * on the table.
   *
   * @param dataJson {@code {"page":N,"pages":M,"products":[...]}}, as {@code /api/catalog} answers
   * @param nextHref the link to the next page, or {@code null} on the last page
   */
  static String catalogLive(String dataJson, long delayMillis, String nextHref) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>Catalog</h1>\n<div class=\"card\">\n")
        .append("<table id=\"products\" data-delay=\"")
        .append(delayMillis)
        .append("\">\n<thead>\n<tr>")
        .append("<th class=\"sku\">SKU</th><th class=\"name\">Product</th>")
        .append("<th class=\"price\">Price</th></tr>\n</thead>\n<tbody>\n</tbody>\n</table>\n")
        .append("<nav class=\"pager\">\n<span id=\"page-info\"></span>\n");
    if (nextHref != null) {
      body.append("<a id=\"next-page\" rel=\"next\" href=\"")
          .append(escape(nextHref))
          .append("\">Next &rarr;</a>\n");
    }
    body.append("</nav>\n</div>\n")
        .append("<script type=\"application/json\" id=\"catalog-data\">")
        .append(scriptSafeJson(dataJson))
        .append("</script>\n");
    String script =
        """
        (function () {
          var data = JSON.parse(document.getElementById('catalog-data').textContent);
          var table = document.getElementById('products');
          var tbody = table.tBodies[0];
          var delay = DELAY;
          var batch = BATCH;
          var interval = INTERVAL;
          function addCell(row, cssClass, text) {
            var cell = row.insertCell();
            cell.className = cssClass;
            cell.textContent = text;
          }
          function draw(from) {
            data.products.slice(from, from + batch).forEach(function (product) {
              var row = tbody.insertRow();
              row.className = 'product';
              addCell(row, 'sku', product.sku);
              addCell(row, 'name', product.name);
              addCell(row, 'price', product.price);
            });
            if (from + batch < data.products.length) {
              setTimeout(function () { draw(from + batch); }, interval);
              return;
            }
            document.getElementById('page-info').textContent =
                'Page ' + data.page + ' of ' + data.pages;
            table.setAttribute('data-complete', 'true');
          }
          function start() {
            setTimeout(function () { draw(0); }, delay);
          }
          if (document.readyState === 'complete') {
            start();
          } else {
            window.addEventListener('load', start);
          }
        })();
        """
            .replace("DELAY", Long.toString(delayMillis))
            .replace("BATCH", Integer.toString(LIVE_BATCH_ROWS))
            .replace("INTERVAL", Integer.toString(LIVE_BATCH_MILLIS));
    return layout("Catalog", null, body.toString(), script);
  }

  /** JSON that can sit inside a script element: no {@code <}, {@code >} or {@code &} as is. */
  static String scriptSafeJson(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  static String reports(DemoUser user) {
    String body =
        """
        <h1>Reports</h1>
        <div class="card">
        <p id="reports-loading" class="muted">Loading reports&hellip;</p>
        <div id="reports-result"></div>
        </div>
        """;
    String script =
        """
        (function () {
          var loading = document.getElementById('reports-loading');
          var result = document.getElementById('reports-result');
          function show(element) {
            loading.remove();
            result.appendChild(element);
          }
          function message(id, cssClass, text) {
            var p = document.createElement('p');
            p.id = id;
            p.className = cssClass;
            p.textContent = text;
            return p;
          }
          var token = window.localStorage.getItem('demo_token');
          if (!token) {
            show(message('token-missing', 'notice',
                'No API token in this browser; open the dashboard first'));
            return;
          }
          fetch('/api/reports', { headers: { 'Authorization': 'Bearer ' + token } })
            .then(function (response) {
              if (response.status === 401) {
                show(message('token-invalid', 'error',
                    'The API token in this browser is no longer valid; open the dashboard again'));
                return null;
              }
              if (!response.ok) {
                throw new Error('HTTP ' + response.status);
              }
              return response.json();
            })
            .then(function (data) {
              if (!data) {
                return;
              }
              var table = document.createElement('table');
              table.id = 'reports';
              var head = table.createTHead().insertRow();
              ['Name', 'Value'].forEach(function (title) {
                var th = document.createElement('th');
                th.textContent = title;
                head.appendChild(th);
              });
              var tbody = table.createTBody();
              data.reports.forEach(function (report) {
                var row = tbody.insertRow();
                row.className = 'report';
                var name = row.insertCell();
                name.className = 'name';
                name.textContent = report.name;
                var value = row.insertCell();
                value.className = 'value';
                value.textContent = report.value;
              });
              show(table);
            })
            .catch(function (error) {
              show(message('reports-error', 'error', 'Could not load reports: ' + error.message));
            });
        })();
        """;
    return layout("Reports", user, body, script);
  }

  static String slow(long millis) {
    return layout(
        "Slow page",
        null,
        "<h1>Slow page</h1>\n<p id=\"slow-done\">Done after " + millis + " ms</p>\n",
        null);
  }

  static String csrfError() {
    return layout(
        "Forbidden",
        null,
        "<section class=\"card narrow\">\n<h1>Forbidden</h1>\n"
            + "<p id=\"csrf-error\" class=\"error\">The sign-in form expired or did not come from"
            + " this site. Please reload the sign-in page and try again.</p>\n"
            + "<p><a href=\"/login\">Back to sign in</a></p>\n</section>\n",
        null);
  }

  static String error(String id, String title, String message) {
    return layout(
        title,
        null,
        "<section class=\"card narrow\">\n<h1>"
            + escape(title)
            + "</h1>\n<p id=\""
            + id
            + "\">"
            + escape(message)
            + "</p>\n<p><a href=\"/dashboard\">Go to the dashboard</a></p>\n</section>\n",
        null);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String layout(String title, DemoUser user, String body, String script) {
    StringBuilder page = new StringBuilder(4096);
    page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape(title))
        .append(" &middot; ")
        .append(SITE_NAME)
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header class=\"topbar\">\n")
        .append("<a class=\"brand\" href=\"/dashboard\" style=\"color:#fff\">")
        .append(SITE_NAME)
        .append("</a>\n");
    if (user != null) {
      page.append("<nav id=\"main-nav\">\n")
          .append("<a id=\"nav-dashboard\" href=\"/dashboard\">Dashboard</a>\n")
          .append("<a id=\"nav-invoices\" href=\"/invoices\">Invoices</a>\n")
          .append("<a id=\"nav-reports\" href=\"/reports\">Reports</a>\n")
          .append("</nav>\n<span class=\"account\"><span class=\"nav-user\">")
          .append(escape(user.displayName()))
          .append("</span><a id=\"logout\" href=\"/logout\">Log out</a></span>\n");
    }
    page.append("</header>\n<main class=\"content\">\n").append(body).append("</main>\n");
    if (script != null) {
      page.append("<script>\n").append(script).append("\n</script>\n");
    }
    page.append("</body>\n</html>\n");
    return page.toString();
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">\n";
  }

  private static String stat(String id, String label, long value) {
    return "<div class=\"card stat\"><div class=\"muted\">"
        + label
        + "</div><div class=\"value\" id=\""
        + id
        + "\">"
        + value
        + "</div></div>\n";
  }

  private static String cell(String cssClass, String text) {
    return "<td class=\"" + cssClass + "\">" + escape(text) + "</td>";
  }
}
