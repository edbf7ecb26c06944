package dev.mortar.scheduler.cron;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the syntax takes and what it refuses, with the message a client reads. */
class GlueScheduleSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "cron(15 12 * * ? *)", "cron(0 10 * * ? *)", "cron(0 18 ? * MON-FRI *)", "cron(0 8 1 * ? *)",
            "cron(0/15 * * * ? *)", "cron(0/10 * ? * MON-FRI *)", "cron(0/5 8-17 ? * MON-FRI *)",
            "cron(0 0 L * ? *)", "cron(0 0 LW * ? *)", "cron(0 0 15W * ? *)", "cron(0 0 ? * L *)", "cron(0 0 ? * 6L *)",
            "cron(0 0 ? * fril *)", "cron(0-59/7 0-23/5 1-31/3 1-12/2 ? 1970-2199/9)", "cron(*/5 */2 */3 */4 ? */10)",
            "cron(0 0 ? JAN,MAR-MAY,dec SUN,TUE-THU 2026,2028-2030)", "cron(00 09 01 01 ? 2030)",
            "CRON(0 0 * * ? *)", "cron( 0   0 * * ? * )", "cron(0 0 ? * 1-7 *)", "cron(59 23 31 12 ? 2199)"})
    void accepts(String expression) {
        assertThat(GlueSchedule.parse(expression).expression()).isEqualTo(expression.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            cron(0 0 * * *)                | Schedule 'cron(0 0 * * *)' has 5 fields; expected 6: Minutes Hours Day-of-month Month Day-of-week Year
            cron(0 0 0 * * ? *)            | Schedule 'cron(0 0 0 * * ? *)' has 7 fields; expected 6: Minutes Hours Day-of-month Month Day-of-week Year
            cron()                         | Schedule 'cron()' has 0 fields; expected 6: Minutes Hours Day-of-month Month Day-of-week Year
            0 0 * * ? *                    | Schedule '0 0 * * ? *' is not cron(Minutes Hours Day-of-month Month Day-of-week Year)
            rate(5 minutes)                | Schedule 'rate(5 minutes)' is not cron(Minutes Hours Day-of-month Month Day-of-week Year)
            cron(0 0 * * ? *               | Schedule 'cron(0 0 * * ? *' is not cron(Minutes Hours Day-of-month Month Day-of-week Year)
            cron(60 0 * * ? *)             | Minutes: 60 is out of range 0-59
            cron(0 24 * * ? *)             | Hours: 24 is out of range 0-23
            cron(0 0 0 * ? *)              | Day-of-month: 0 is out of range 1-31
            cron(0 0 32 * ? *)             | Day-of-month: 32 is out of range 1-31
            cron(0 0 1 13 ? *)             | Month: 13 is out of range 1-12
            cron(0 0 ? * 0 *)              | Day-of-week: 0 is out of range 1-7
            cron(0 0 ? * 8 *)              | Day-of-week: 8 is out of range 1-7
            cron(0 0 * * ? 1969)           | Year: 1969 is out of range 1970-2199
            cron(0 0 * * ? 2200)           | Year: 2200 is out of range 1970-2199
            cron(0 0 * * ? 99999999999)    | Year: 99999999999 is out of range 1970-2199
            cron(0 0 ? * MON#2 *)          | "Day-of-week: '#' is not allowed here (allowed: , - * ? / L)"
            cron(0 0 L-3 * ? *)            | Day-of-month: 'L' stands alone, not in a list, range or increment
            cron(0 0 1,L * ? *)            | "Day-of-month: 'L' stands alone, not in a list: '1,L'"
            cron(0 0 1W,15 * ? *)          | "Day-of-month: '1W' stands alone, not in a list: '1W,15'"
            cron(0 0 LW/2 * ? *)           | Day-of-month: 'LW' stands alone, not in a list, range or increment
            cron(0 0 ? * L-2 *)            | Day-of-week: 'L' stands alone, not in a list, range or increment
            cron(0 0 ? * 2,6L *)           | "Day-of-week: '6L' stands alone, not in a list: '2,6L'"
            cron(0 0 ? * 8L *)             | Day-of-week: 8 is out of range 1-7
            cron(0 0 32W * ? *)            | Day-of-month: 32 is out of range 1-31
            cron(0 0 * L ? *)              | "Month: 'L' is not allowed here (allowed: , - * /)"
            cron(L 0 * * ? *)              | "Minutes: 'L' is not allowed here (allowed: , - * /)"
            cron(0 5W * * ? *)             | "Hours: 'W' is not allowed here (allowed: , - * /)"
            cron(0 0 ? * 2W *)             | "Day-of-week: 'W' is not allowed here (allowed: , - * ? / L)"
            cron(0 0 * * ? L)              | "Year: 'L' is not allowed here (allowed: , - * /)"
            cron(? 0 * * ? *)              | "Minutes: '?' is not allowed here (allowed: , - * /)"
            cron(0 0 * ? ? *)              | "Month: '?' is not allowed here (allowed: , - * /)"
            cron(0 0 1,? * ? *)            | "Day-of-month: '?' stands alone, not in a list: '1,?'"
            cron(0 0 * * ? *,?)            | "Year: '?' is not allowed here (allowed: , - * /)"
            cron(0 0 ? * ? *)              | "Day-of-month: '?' in both day fields; exactly one of Day-of-month and Day-of-week must be '?'"
            cron(0 0 * * * *)              | "Day-of-week: must be '?' when Day-of-month has a value; exactly one of Day-of-month and Day-of-week must be '?'"
            cron(0 0 1 * MON *)            | "Day-of-week: must be '?' when Day-of-month has a value; exactly one of Day-of-month and Day-of-week must be '?'"
            cron(0 0 * JANUARY ? *)        | Month: 'JANUARY' is not a value; use 1-12 or JAN-DEC
            cron(0 0 ? * MONDAY *)         | Day-of-week: 'MONDAY' is not a value; use 1-7 or SUN-SAT
            cron(0 0 * * ? MMXXVI)         | Year: 'MMXXVI' is not a number
            cron(0 0 * MON ? *)            | Month: 'MON' is not a value; use 1-12 or JAN-DEC
            cron(0 22-2 * * ? *)           | Hours: the range '22-2' runs backwards; write it as two ranges
            cron(0 0 ? * FRI-MON *)        | Day-of-week: the range 'FRI-MON' runs backwards; write it as two ranges
            cron(0/0 0 * * ? *)            | Minutes: the increment in '0/0' must be from 1 to 60
            cron(0/61 0 * * ? *)           | Minutes: the increment in '0/61' must be from 1 to 60
            cron(*/25 */25 * * ? *)        | Hours: the increment in '*/25' must be from 1 to 24
            cron(0/x 0 * * ? *)            | Minutes: the increment in '0/X' is not a number
            cron(0/ 0 * * ? *)             | Minutes: the increment in '0/' is not a number
            cron(1-5/ 0 * * ? *)           | Minutes: the increment in '1-5/' is not a number
            cron(/5 0 * * ? *)             | Minutes: '/5' is not a value, a range, or an increment
            cron(-5 0 * * ? *)             | Minutes: '-5' is not a value, a range, or an increment
            cron(1-2-3 0 * * ? *)          | Minutes: '1-2-3' is not a value, a range, or an increment
            cron(*-5 0 * * ? *)            | Minutes: '*-5' is not a value, a range, or an increment
            cron(1,,2 0 * * ? *)           | "Minutes: empty value in the list '1,,2'"
            cron(1, 0 * * ? *)             | "Minutes: empty value in the list '1,'"
            """)
    void refuses(String expression, String message) {
        assertThatThrownBy(() -> GlueSchedule.parse(expression))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void refusesTheCompositesOfCronUtils() {
        // cron-utils reads "a|b" and "x || y" as several schedules; the service has no such thing
        assertThatThrownBy(() -> GlueSchedule.parse("cron(0|5 0 * * ? *)"))
                .hasMessage("Minutes: '|' is not allowed here (allowed: , - * /)");
        assertThatThrownBy(() -> GlueSchedule.parse("cron(0 0 L * ? *||5 0 L * ? *)"))
                .hasMessage("Schedule 'cron(0 0 L * ? *||5 0 L * ? *)' has 11 fields; expected 6: Minutes Hours Day-of-month Month Day-of-week Year");
        assertThatThrownBy(() -> GlueSchedule.parse("cron(0 0 L * ? *||5)"))
                .hasMessage("Year: '|' is not allowed here (allowed: , - * /)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            cron(60 0 * * ? *)       | MINUTES
            cron(0 0 ? * MON#2 *)    | DAY_OF_WEEK
            cron(0 0 ? * ? *)        | DAY_OF_MONTH
            cron(0 0 * * * *)        | DAY_OF_WEEK
            cron(0 0 * * ? 2200)     | YEAR
            """)
    void namesTheFieldAtFault(String expression, CronField field) {
        assertThatThrownBy(() -> GlueSchedule.parse(expression))
                .isInstanceOfSatisfying(InvalidScheduleException.class, e -> assertThat(e.field()).contains(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void refusesAnEmptySchedule(String expression) {
        assertThatThrownBy(() -> GlueSchedule.parse(expression))
                .isInstanceOfSatisfying(InvalidScheduleException.class, e -> assertThat(e.field()).isEmpty())
                .hasMessage("Schedule must not be empty; expected cron(Minutes Hours Day-of-month Month Day-of-week Year)");
        assertThatThrownBy(() -> GlueSchedule.parse(null)).isInstanceOf(InvalidScheduleException.class);
    }
}
