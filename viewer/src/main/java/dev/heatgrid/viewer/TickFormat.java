package dev.heatgrid.viewer;

import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/** Axis tick labels in {@link Numbers#compact} form: {@code 6.8e-4} rather than JFreeChart's {@code 6.8E-4} or {@code 0E0}. */
final class TickFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        // Tick arithmetic leaves dust such as 2.0000000000000002e-5 or 1e-20 for zero: round it away.
        return toAppendTo.append(Numbers.compact(Math.abs(number) < 1e-300 ? 0 : number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(number);
    }

    @Override
    public Number parse(String source, ParsePosition position) {
        try {
            double value = Double.parseDouble(source.substring(position.getIndex()).strip());
            position.setIndex(source.length());
            return value;
        } catch (NumberFormatException e) {
            position.setErrorIndex(position.getIndex());
            return null;
        }
    }
}
