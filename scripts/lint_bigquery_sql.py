"""Lint compiled dbt SQL as BigQuery GoogleSQL, catching the DuckDB-isms that sqlglot and the local
emulator (itself DuckDB-backed) both let through.

Usage:
  dbt compile --target bigquery_emulator ...      # needs the emulator running (is_incremental() asks it)
  python scripts/lint_bigquery_sql.py [DIR ...]   # default: target/compiled/score_monitoring and target/run/score_monitoring

Every .sql file under each DIR (models, tests, analyses; dbt's run/ dir with the generated DDL and
merge scripts too) is checked for:
  - parse errors with sqlglot's bigquery dialect;
  - `::` casts, `->` / `->>` arrows and lambdas (`lambda x: ...`), ILIKE, `:=` named arguments,
    `==`, and `{...}` struct / map literals (all DuckDB syntax, none of it GoogleSQL);
  - subscripts `x[...]` that do not use OFFSET / SAFE_OFFSET / ORDINAL / SAFE_ORDINAL. BigQuery
    accepts a bare `x[i]` (0-based) but DuckDB's `x[i]` is 1-based and `x[a:b]` slices, so the
    same text means different elements on the two engines: the project spells out the base.
    Array literals (`[1, 2]`, `ARRAY[1, 2]`, `ARRAY<INT64>[1]`) are valid GoogleSQL and allowed: a
    `[` that follows a value (a name, `)` or `]`) is a subscript, any other `[` starts a literal;
  - any function that is not in BIGQUERY_FUNCTIONS (the AST is walked for sqlglot's known function
    classes and exp.Anonymous; the name checked is the one written in the SQL where sqlglot
    records it, else the name sqlglot generates for BigQuery);
  - in the raw text (sqlglot silently rewrites these into BigQuery functions, so the AST cannot
    show them): DuckDB functions median, len, try_cast, approx_quantile, arg_max, count_if, ...

Output: one `file:line: problem` per finding on stdout.
Exit codes: 0 clean, 1 findings, 2 usage error (no such directory, no .sql file).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.tokens import Token, TokenType

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
DEFAULT_DIRS = ("target/compiled/score_monitoring", "target/run/score_monitoring")

# GoogleSQL functions the lint accepts: the standard aggregate, statistical, approximate, window,
# conversion, date/time, math, string, array, JSON, hash and conditional functions (upper case).
BIGQUERY_FUNCTIONS = frozenset(
    """
    ANY_VALUE ARRAY_AGG ARRAY_CONCAT_AGG AVG BIT_AND BIT_OR BIT_XOR COUNT COUNTIF GROUPING LOGICAL_AND
    LOGICAL_OR MAX MAX_BY MIN MIN_BY STRING_AGG SUM CORR COVAR_POP COVAR_SAMP STDDEV STDDEV_POP
    STDDEV_SAMP VAR_POP VAR_SAMP VARIANCE APPROX_COUNT_DISTINCT APPROX_QUANTILES APPROX_TOP_COUNT
    APPROX_TOP_SUM CUME_DIST DENSE_RANK NTILE PERCENT_RANK RANK ROW_NUMBER FIRST_VALUE LAST_VALUE
    LAG LEAD NTH_VALUE PERCENTILE_CONT PERCENTILE_DISC
    CAST SAFE_CAST PARSE_BIGNUMERIC PARSE_NUMERIC
    CURRENT_DATE CURRENT_DATETIME CURRENT_TIME CURRENT_TIMESTAMP DATE DATE_ADD DATE_BUCKET DATE_DIFF
    DATE_FROM_UNIX_DATE DATE_SUB DATE_TRUNC DATETIME DATETIME_ADD DATETIME_DIFF DATETIME_SUB
    DATETIME_TRUNC EXTRACT FORMAT_DATE FORMAT_DATETIME FORMAT_TIME FORMAT_TIMESTAMP GENERATE_DATE_ARRAY
    GENERATE_TIMESTAMP_ARRAY LAST_DAY PARSE_DATE PARSE_DATETIME PARSE_TIME PARSE_TIMESTAMP TIME
    TIME_ADD TIME_DIFF TIME_SUB TIME_TRUNC TIMESTAMP TIMESTAMP_ADD TIMESTAMP_DIFF TIMESTAMP_MICROS
    TIMESTAMP_MILLIS TIMESTAMP_SECONDS TIMESTAMP_SUB TIMESTAMP_TRUNC UNIX_DATE UNIX_MICROS UNIX_MILLIS
    UNIX_SECONDS INTERVAL MAKE_INTERVAL JUSTIFY_DAYS JUSTIFY_HOURS JUSTIFY_INTERVAL
    ABS ACOS ACOSH ASIN ASINH ATAN ATAN2 ATANH CBRT CEIL CEILING COS COSH COT COTH CSC CSCH DIV EXP
    FLOOR GREATEST IEEE_DIVIDE IS_INF IS_NAN LEAST LN LOG LOG10 MOD POW POWER RAND RANGE_BUCKET ROUND
    SAFE_ADD SAFE_DIVIDE SAFE_MULTIPLY SAFE_NEGATE SAFE_SUBTRACT SEC SECH SIGN SIN SINH SQRT TAN TANH
    TRUNC
    ASCII BYTE_LENGTH CHAR_LENGTH CHARACTER_LENGTH CHR CODE_POINTS_TO_BYTES CODE_POINTS_TO_STRING
    COLLATE CONCAT CONTAINS_SUBSTR ENDS_WITH FORMAT FROM_BASE32 FROM_BASE64 FROM_HEX INITCAP INSTR
    LEFT LENGTH LOWER LPAD LTRIM NORMALIZE NORMALIZE_AND_CASEFOLD OCTET_LENGTH REGEXP_CONTAINS
    REGEXP_EXTRACT REGEXP_EXTRACT_ALL REGEXP_INSTR REGEXP_REPLACE REGEXP_SUBSTR REPEAT REPLACE REVERSE
    RIGHT RPAD RTRIM SOUNDEX SPLIT STARTS_WITH STRPOS SUBSTR SUBSTRING TO_BASE32 TO_BASE64
    TO_CODE_POINTS TO_HEX TRANSLATE TRIM UNICODE UPPER
    ARRAY ARRAY_CONCAT ARRAY_FIRST ARRAY_LAST ARRAY_LENGTH ARRAY_REVERSE ARRAY_SLICE ARRAY_TO_STRING
    GENERATE_ARRAY OFFSET ORDINAL SAFE_OFFSET SAFE_ORDINAL UNNEST STRUCT
    JSON_EXTRACT JSON_EXTRACT_SCALAR JSON_QUERY JSON_VALUE JSON_QUERY_ARRAY JSON_VALUE_ARRAY PARSE_JSON
    TO_JSON TO_JSON_STRING
    FARM_FINGERPRINT MD5 SHA1 SHA256 SHA512 GENERATE_UUID SESSION_USER ERROR
    COALESCE IF IFNULL NULLIF NULLIFZERO ZEROIFNULL
    """.split()
)

# DuckDB names that sqlglot's bigquery reader silently turns into BigQuery functions (or keeps),
# so they must be caught in the raw text. Value: what to write instead.
DUCKDB_FUNCTIONS = {
    "median": "APPROX_QUANTILES(x, 2)[OFFSET(1)] or PERCENTILE_CONT(x, 0.5) OVER ()",
    "len": "LENGTH / ARRAY_LENGTH",
    "try_cast": "SAFE_CAST",
    "approx_quantile": "APPROX_QUANTILES(x, n)[OFFSET(k)]",
    "arg_max": "MAX_BY or ARRAY_AGG(x ORDER BY y DESC LIMIT 1)[OFFSET(0)]",
    "arg_min": "MIN_BY or ARRAY_AGG(x ORDER BY y LIMIT 1)[OFFSET(0)]",
    "count_if": "COUNTIF",
    "generate_series": "GENERATE_ARRAY / GENERATE_DATE_ARRAY",
    "datediff": "DATE_DIFF(end, start, DAY)",
    "date_part": "EXTRACT(part FROM x)",
    "quantile_cont": "APPROX_QUANTILES or PERCENTILE_CONT(...) OVER ()",
    "quantile_disc": "APPROX_QUANTILES or PERCENTILE_DISC(...) OVER ()",
    "struct_pack": "STRUCT(x AS name)",
    "isnan": "IS_NAN",
    "isinf": "IS_INF",
    "to_days": "DATE_ADD(d, INTERVAL n DAY)",
    "read_parquet": "a BigQuery table (scripts/load_to_bigquery.py)",
    "strftime": "FORMAT_DATE / FORMAT_TIMESTAMP",
    "epoch": "UNIX_SECONDS",
}
DUCKDB_FUNCTION_PREFIXES = ("list_",)  # list_value, list_transform, list_aggregate, ...
INDEX_WORDS = frozenset({"offset", "safe_offset", "ordinal", "safe_ordinal"})
# A `[` after one of these tokens subscripts a value; after anything else it opens an array literal.
VALUE_END_TOKENS = frozenset({TokenType.VAR, TokenType.IDENTIFIER, TokenType.R_PAREN, TokenType.R_BRACKET})
FUNCTION_HEAD_RE = re.compile(r"^(?:SAFE\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\(", re.IGNORECASE)
DIALECT = Dialect.get_or_raise("bigquery")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


def _function_call(tokens: Sequence[Token], index: int) -> bool:
    return index + 1 < len(tokens) and tokens[index + 1].token_type == TokenType.L_PAREN


def duckdb_function(name: str) -> str | None:
    """The replacement hint when `name` is a DuckDB function the raw scan rejects, else None."""
    lowered = name.lower()
    if lowered in DUCKDB_FUNCTIONS:
        return DUCKDB_FUNCTIONS[lowered]
    if lowered.startswith(DUCKDB_FUNCTION_PREFIXES):
        return "ARRAY functions / UNNEST"
    return None


def token_findings(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """Syntax and DuckDB function names found in the token stream of the raw SQL text."""
    found: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        kind, text = token.token_type, token.text
        previous = tokens[index - 1] if index else None
        if kind == TokenType.DCOLON:
            found.append((token.line, "`::` cast is not BigQuery: use CAST(x AS type)"))
        elif kind in (TokenType.ARROW, TokenType.DARROW):
            found.append((token.line, f"`{text}` (lambda / JSON arrow) is not BigQuery"))
        elif kind == TokenType.VAR and text.lower() == "lambda":
            found.append((token.line, "`lambda` is not BigQuery"))
        elif kind == TokenType.ILIKE or (kind == TokenType.VAR and text.lower() == "ilike"):
            found.append((token.line, "ILIKE is not BigQuery: use LOWER(x) LIKE LOWER(pattern)"))
        elif kind == TokenType.COLON_EQ:
            found.append((token.line, "`:=` named argument is not BigQuery"))
        elif kind == TokenType.EQ and text == "==":
            found.append((token.line, "`==` is not BigQuery: use `=`"))
        elif kind == TokenType.L_BRACE:
            found.append((token.line, "`{...}` struct/map literal is not BigQuery: use STRUCT(x AS name)"))
        elif kind == TokenType.L_BRACKET and previous is not None and previous.token_type in VALUE_END_TOKENS:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is None or following.text.lower() not in INDEX_WORDS or not _function_call(tokens, index + 1):
                found.append(
                    (
                        token.line,
                        (
                            "subscript without OFFSET/SAFE_OFFSET/ORDINAL/SAFE_ORDINAL: x[i] is 0-based on BigQuery"
                            " but 1-based on DuckDB; write x[SAFE_OFFSET(i)]"
                        ),
                    )
                )
        elif kind in (TokenType.VAR, TokenType.IDENTIFIER) or text.lower() in DUCKDB_FUNCTIONS:
            hint = duckdb_function(text) if _function_call(tokens, index) else None
            if hint is not None and (previous is None or previous.token_type != TokenType.DOT):
                found.append((token.line, f"DuckDB function {text.lower()}() is not BigQuery: use {hint}"))
    return found


def _line_of(node: exp.Expression, default: int) -> int:
    for candidate in node.walk():
        line = candidate.meta.get("line") if candidate.meta else None
        if isinstance(line, int):
            return line
    return default


def function_name(node: exp.Func) -> str | None:
    """The upper-case name of a function call as written (or as sqlglot writes it for BigQuery);
    None for function classes that are not calls (AND, CASE, array literals, ...)."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).upper()
    written = node.meta.get("bigquery_name") if node.meta else None
    if isinstance(written, str) and written:
        return written.upper()
    generated = node.sql(dialect="bigquery", unsupported_level=ErrorLevel.IGNORE)
    match = FUNCTION_HEAD_RE.match(generated)
    return match.group(1).upper() if match else None


def ast_findings(statements: Iterable[exp.Expression | None]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for statement in statements:
        if statement is None:
            continue
        default_line = _line_of(statement, 1)
        for node in statement.find_all(exp.Func):
            if isinstance(node, exp.SafeFunc | exp.Connector | exp.Case | exp.Array):
                continue
            name = function_name(node)
            if name is not None and name not in BIGQUERY_FUNCTIONS:
                found.append((_line_of(node, default_line), f"function {name} is not in the BigQuery allow-list"))
        for node in statement.find_all(exp.ILike):
            found.append((_line_of(node, default_line), "ILIKE is not BigQuery: use LOWER(x) LIKE LOWER(pattern)"))
    return found


def lint_sql(sql: str, path: str = "<sql>") -> list[Finding]:
    """All findings for one SQL text, sorted by line; a parse error is a finding."""
    try:
        tokens = DIALECT.tokenize(sql)
    except TokenError as error:
        return [Finding(path, 1, f"BigQuery tokenizer error: {error}")]
    raw = token_findings(tokens)
    try:
        statements = sqlglot.parse(sql, read="bigquery", error_level=ErrorLevel.RAISE)
    except ParseError as error:
        line = next((int(e["line"]) for e in error.errors if e.get("line")), 1)
        return sorted(
            {Finding(path, line, f"not BigQuery (sqlglot parse error): {error.errors[0]['description']}")}
            | {Finding(path, line, problem) for line, problem in raw}
        )
    # A function flagged by the raw scan is not reported again by the allow-list check.
    raw_names = {
        (line, problem.split()[2].rstrip("()").upper()) for line, problem in raw if problem.startswith("DuckDB")
    }
    ast = [
        (line, problem)
        for line, problem in ast_findings(statements)
        if not (problem.startswith("function ") and (line, problem.split()[1]) in raw_names)
    ]
    return sorted({Finding(path, line, problem) for line, problem in [*raw, *ast]})


def sql_files(directories: Sequence[Path]) -> list[Path]:
    return sorted(path for directory in directories for path in directory.rglob("*.sql") if path.is_file())


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "directories",
        nargs="*",
        type=Path,
        help=f"compiled SQL directories (default: {' and '.join(DEFAULT_DIRS)}; the run/ dir only if present)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as error:
        return EXIT_USAGE if error.code else EXIT_OK
    directories: list[Path] = list(args.directories)
    if not directories:
        compiled, run = (Path(directory) for directory in DEFAULT_DIRS)
        directories = [compiled, *([run] if run.is_dir() else [])]
    missing = [str(directory) for directory in directories if not directory.is_dir()]
    if missing:
        print(f"lint_bigquery_sql: not a directory: {', '.join(missing)} (run dbt compile first)", file=sys.stderr)
        return EXIT_USAGE
    files = sql_files(directories)
    if not files:
        print(f"lint_bigquery_sql: no .sql file under {', '.join(map(str, directories))}", file=sys.stderr)
        return EXIT_USAGE
    findings = [finding for path in files for finding in lint_sql(path.read_text(encoding="utf-8"), str(path))]
    for finding in findings:
        print(finding)
    print(f"lint_bigquery_sql: {len(files)} files, {len(findings)} findings", file=sys.stderr)
    return EXIT_FINDINGS if findings else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
