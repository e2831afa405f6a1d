package sparktrain.report;

/** Minimal HTML building helpers for the self-contained reports. */
public final class Html {
  private Html() {}

  /** Escapes text for HTML element content and attribute values. */
  public static String escape(Object value) {
    String s = String.valueOf(value);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** The page head with inline CSS (no network needed to view it) and an h1. */
  public static String page(String title) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title><style>"
        + "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}"
        + "td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}"
        + "th{background:#f3f3f3}td.l,th.l{text-align:left}"
        + "img{max-width:100%;border:1px solid #eee;margin:.5em 0}"
        + "pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:90%}"
        + ".ok{color:#17692b;font-weight:bold}.bad{color:#a01212;font-weight:bold}"
        + "</style></head><body>\n<h1>"
        + escape(title)
        + "</h1>\n";
  }
}
