package io.streamingworkshop.datagen.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's options listed under the heading of the class that declares them ({@link HelpSection}),
 * in their {@code order}. picocli's own sections (argument groups) would also change how options
 * parse: a repeated option there opens a new group instead of being refused as given twice.
 */
final class SectionedOptionList implements IHelpSectionRenderer {

    @Override
    public String render(Help help) {
        List<OptionSpec> options = new ArrayList<>(help.commandSpec().options());
        options.sort(Comparator.comparingInt(OptionSpec::order));
        Map<String, Help.Layout> sections = new LinkedHashMap<>();
        for (OptionSpec option : options) {
            sections.computeIfAbsent(heading(option), heading -> help.createDefaultLayout())
                    .addOption(option, help.createDefaultParamLabelRenderer());
        }
        StringBuilder text = new StringBuilder();
        sections.forEach((heading, layout) ->
                text.append('\n').append(heading).append(":\n").append(layout));
        return text.toString();
    }

    private static String heading(OptionSpec option) {
        if (option.userObject() instanceof Field) {
            HelpSection section =
                    ((Field) option.userObject()).getDeclaringClass().getAnnotation(HelpSection.class);
            if (section != null) {
                return section.value();
            }
        }
        return "Options";
    }
}
