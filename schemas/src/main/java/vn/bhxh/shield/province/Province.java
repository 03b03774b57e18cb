package vn.bhxh.shield.province;

import java.util.List;

/**
 * One of the 34 province-level units since 1 July 2025, with the former provinces merged into it
 * (Resolution 202/2025/QH15) and their landline area codes. The slug is used in topic names and URLs.
 */
public record Province(String slug, String name, Kind kind, List<String> formerNames, List<String> areaCodes) {

    public enum Kind {
        CITY, PROVINCE
    }

    public Province {
        formerNames = List.copyOf(formerNames);
        areaCodes = List.copyOf(areaCodes);
    }
}
