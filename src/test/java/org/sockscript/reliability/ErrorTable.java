package org.sockscript.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bad-input table of {@code docs/errors.md}, read as data: one {@link Row} per line of the
 * markdown table, keyed by its {@code id} column. Cells are split on {@code " | "}; the
 * exception and message cells are code spans, returned without their backticks.
 */
final class ErrorTable {

  /** One documented bad input: the exception's simple class name and its exact message. */
  record Row(String id, String exception, String message) {}

  private final Map<String, Row> rows;

  private ErrorTable(Map<String, Row> rows) {
    this.rows = rows;
  }

  static ErrorTable read(Path markdown) {
    List<String> lines;
    try {
      lines = Files.readAllLines(markdown, UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the error table " + markdown.toAbsolutePath(), e);
    }
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : lines) {
      if (!line.startsWith("| ") || line.startsWith("| id ")) {
        continue;
      }
      String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
      if (cells.length != 5) {
        throw new IllegalStateException("expected 5 cells in " + markdown + ": " + line);
      }
      Row row = new Row(cells[0], code(cells[3]), code(cells[4]));
      if (rows.put(row.id(), row) != null) {
        throw new IllegalStateException("row " + row.id() + " appears twice in " + markdown);
      }
    }
    return new ErrorTable(rows);
  }

  private static String code(String cell) {
    if (!cell.startsWith("`") || !cell.endsWith("`")) {
      throw new IllegalStateException("expected a `code span`, saw " + cell);
    }
    return cell.substring(1, cell.length() - 1);
  }

  List<String> ids() {
    return List.copyOf(rows.keySet());
  }

  Row row(String id) {
    return rows.get(id);
  }
}
