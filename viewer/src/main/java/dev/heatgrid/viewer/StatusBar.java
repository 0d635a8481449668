package dev.heatgrid.viewer;

import java.awt.GridLayout;
import java.awt.Color;
import java.awt.Font;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;

/**
 * The window's status area: the status line, what needs attention (in red), and the solver's
 * recent steering commands. EDT only.
 */
final class StatusBar extends JPanel {
    private static final long serialVersionUID = 1L;
    private static final Color ALERT = new Color(0xB00020);

    private final JLabel line = new JLabel("starting");
    private final JLabel health = new JLabel(" ");
    private final JLabel alert = new JLabel(" ");
    private final JLabel commands = new JLabel(" ");
    private transient ViewerStatus shown;

    StatusBar() {
        super(new GridLayout(0, 1, 0, 2));
        setBorder(BorderFactory.createEmptyBorder(4, 8, 6, 8));
        line.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        health.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
        alert.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        alert.setForeground(ALERT);
        commands.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        commands.setForeground(Color.DARK_GRAY);
        add(line);
        add(health);
        add(alert);
        add(commands);
    }

    void show(ViewerStatus status) {
        shown = status;
        line.setText(status.frameLine());
        health.setText(status.healthLine());
        String problem = status.alert();
        alert.setText(problem == null ? " " : problem);
        String recent = status.commandsLine();
        commands.setText(recent.isEmpty() ? " " : "steering: " + recent);
    }

    /** What the bar says now, or null before the first status. */
    ViewerStatus shown() {
        return shown;
    }
}
