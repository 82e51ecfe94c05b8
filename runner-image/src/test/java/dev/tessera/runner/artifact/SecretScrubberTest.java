package dev.tessera.runner.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScrubberTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "tok\"en/with&<odd> chars";

  private final SecretScrubber scrubber = SecretScrubber.of(List.of("s3cret-value", TOKEN, "ab"));

  @Test
  void textIsMaskedAsWrittenAndInItsUrlHtmlAndJsonEncodings() {
    assertThat(scrubber.text("a s3cret-value b")).isEqualTo("a *** b");
    assertThat(scrubber.text("?t=tok%22en%2Fwith%26%3Codd%3E+chars")).isEqualTo("?t=***");
    assertThat(scrubber.text("?t=tok%22en%2Fwith%26%3Codd%3E%20chars")).isEqualTo("?t=***");
    assertThat(scrubber.text("<i title=\"tok&quot;en/with&amp;&lt;odd&gt; chars\">"))
        .isEqualTo("<i title=\"***\">");
    assertThat(scrubber.text("var t = \"tok\\\"en/with&<odd> chars\";"))
        .isEqualTo("var t = \"***\";");
    assertThat(scrubber.text("short ab stays")).isEqualTo("short ab stays");
  }

  @Test
  void traceEventsAreMaskedValueByValueAndStayOneValidJsonPerLine() throws IOException {
    String events =
        "{\"type\":\"before\",\"callId\":\"call@1\",\"method\":\"evaluate\",\"params\":"
            + "{\"arg\":{\"value\":{\"s\":\"tok\\\"en/with&<odd> chars\"}}}}\n"
            + "{\"type\":\"frame-snapshot\",\"snapshot\":{\"html\":[\"DIV\",{\"data-x\":"
            + "\"s3cret-value\"},\"text s3cret-value\"]}}\n";

    String masked =
        new String(
            scrubber.content("trace.trace", events.getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);

    List<String> lines = masked.lines().toList();
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      JSON.readTree(line);
    }
    assertThat(masked).doesNotContain("s3cret-value").doesNotContain("odd> chars");
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.path("params").path("arg").path("value").path("s").asText()).isEqualTo("***");
    assertThat(first.path("callId").asText()).isEqualTo("call@1");
    assertThat(JSON.readTree(lines.get(1)).path("snapshot").path("html").get(2).asText())
        .isEqualTo("text ***");
  }

  @Test
  void cookieAndAuthorizationHeadersAndCookieListsAreMaskedWhateverTheyHold() throws IOException {
    String network =
        "{\"type\":\"resource-snapshot\",\"snapshot\":{\"request\":{\"url\":\"https://x/\","
            + "\"headers\":[{\"name\":\"Cookie\",\"value\":\"a=unknown1\"},"
            + "{\"name\":\"authorization\",\"value\":\"Bearer unknown2\"},"
            + "{\"name\":\"Accept\",\"value\":\"text/html\"}],"
            + "\"cookies\":[{\"name\":\"a\",\"value\":\"unknown1\"}]},"
            + "\"response\":{\"headers\":[{\"name\":\"Set-Cookie\",\"value\":\"b=unknown3; Path=/\"}],"
            + "\"cookies\":[{\"name\":\"b\",\"value\":\"unknown3\"}]}}}\n";
    String params =
        "{\"type\":\"before\",\"params\":{\"headers\":{\"Authorization\":\"Bearer unknown4\"}}}\n";

    String masked =
        new String(
            scrubber.content("trace.network", network.getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
    String maskedParams =
        new String(
            scrubber.content("0-trace.trace", params.getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);

    assertThat(masked)
        .doesNotContain("unknown")
        .contains("{\"name\":\"Accept\",\"value\":\"text/html\"}")
        .contains("{\"name\":\"Cookie\",\"value\":\"***\"}")
        .contains("{\"name\":\"authorization\",\"value\":\"***\"}")
        .contains("{\"name\":\"Set-Cookie\",\"value\":\"***\"}");
    assertThat(maskedParams).doesNotContain("unknown4").contains("\"Authorization\":\"***\"");
  }

  @Test
  void headerLinesOfATracesLogMessagesAreMaskedAndTheirCookiesFound() {
    String log =
        "{\"type\":\"log\",\"callId\":\"call@12\",\"message\":\"  cookie: a=unknown5; b=unknown6\"}\n"
            + "{\"type\":\"log\",\"callId\":\"call@12\",\"message\":\"  Authorization: Bearer unknown7\"}\n"
            + "{\"type\":\"log\",\"callId\":\"call@12\",\"message\":\"  accept: */*\"}\n";

    String masked =
        new String(
            scrubber.content("trace.trace", log.getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);

    assertThat(masked)
        .doesNotContain("unknown")
        .contains("\"  cookie: ***\"")
        .contains("\"  Authorization: ***\"")
        .contains("\"  accept: */*\"");
  }

  @Test
  void picturesAreKeptAndOtherBytesAreMaskedWhereTheSecretIsAscii() {
    byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', 's', '3', 'c', 'r', 'e', 't'};
    assertThat(scrubber.content("shot.png", png)).isEqualTo(png);

    byte[] latin1 = "caf\u00e9 s3cret-value".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(scrubber.content("resources/page.html", latin1))
        .isEqualTo("caf\u00e9 ***".getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aTraceKeepsItsEntriesInOrderAndTheCookieValuesItCarriesAreFound(@TempDir Path dir)
      throws IOException {
    Path raw = dir.resolve("raw.zip");
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(
        "trace.network",
        "{\"snapshot\":{\"request\":{\"headers\":[{\"name\":\"cookie\",\"value\":\"a=one-value;"
            + " b=two-value\"}]},\"response\":{\"headers\":[{\"name\":\"set-cookie\",\"value\":"
            + "\"c=three-value; Path=/\\nd=four-value; HttpOnly\"}]}}}\n");
    entries.put("trace.trace", "{\"type\":\"before\",\"params\":{\"url\":\"/?x=three-value\"}}\n");
    entries.put("resources/abc.html", "<p>four-value</p>");
    try (OutputStream out = Files.newOutputStream(raw);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }

    assertThat(SecretScrubber.cookieValues(raw))
        .containsExactly("one-value", "two-value", "three-value", "four-value");

    Path masked = dir.resolve("masked.zip");
    SecretScrubber.of(SecretScrubber.cookieValues(raw)).zip(raw, masked);

    List<String> names = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    try (InputStream in = Files.newInputStream(masked);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        names.add(entry.getName());
        all.append(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(names).containsExactlyElementsOf(entries.keySet());
    assertThat(all.toString()).doesNotContain("-value").contains("<p>***</p>").contains("?x=***");
  }
}
