package io.tokenrotator.simulator;

/** The XML the Query and REST-XML protocols answer with: one element, its text escaped. */
final class Xml {
    private Xml() {}

    static String element(String name, String value) {
        return "<" + name + ">" + escape(value) + "</" + name + ">";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
