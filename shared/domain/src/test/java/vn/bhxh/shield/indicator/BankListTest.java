package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class BankListTest {

    private static final String HEADER = "code,bin,short_name,full_name,names,vietnamese_names";
    private final Normaliser normaliser = new Normaliser();

    /** Every bank of the NAPAS/VietQR directory: the State Bank's banks that hold customer accounts. */
    @Test
    void listsEveryBankOfTheDirectoryOnceByCodeAndByBin() {
        List<Bank> banks = Bank.all();

        assertThat(banks).hasSizeGreaterThanOrEqualTo(60);
        assertThat(banks).extracting(Bank::code).doesNotHaveDuplicates();
        assertThat(banks).extracting(Bank::bin).doesNotHaveDuplicates().allMatch(bin -> bin.matches("\\d{6}"));
        assertThat(banks).allSatisfy(bank -> assertThat(bank.fullName()).isNotBlank())
                .allSatisfy(bank -> assertThat(bank.names()).isNotEmpty());
        assertThat(banks).extracting(Bank::bin).contains("970436", "970415", "970418", "970405", "970407",
                "970422", "970416", "970432", "970403", "970423", "970454", "970414", "970444", "970406", "999888");
    }

    /** Codes are part of blocklist keys already written: the twenty banks known before the data file keep theirs. */
    @Test
    void theCodesOfKeysAlreadyWrittenNeverChange() {
        assertThat(Bank.all()).extracting(Bank::code).contains("vcb", "ctg", "bidv", "vba", "tcb", "mb", "acb",
                "vpb", "stb", "tpb", "vib", "shb", "hdb", "ocb", "msb", "ssb", "eib", "lpb", "nab", "scb");
        assertThat(Bank.byCode("vcb")).map(Bank::bin).hasValue("970436");
    }

    /** Each name of each bank names that bank and no other, alone or after "ngân hàng". */
    @TestFactory
    Stream<DynamicTest> everyNameOfEveryBankNormalisesToThatBank() {
        return Bank.all().stream().map(bank -> DynamicTest.dynamicTest(bank.code(), () -> {
            String key = "bank:" + bank.code() + ":0123456789";
            for (String name : bank.names()) {
                assertThat(normaliser.account(name + " 0123456789").accepted()).as(name)
                        .map(Indicator::key).hasValue(key);
                assertThat(normaliser.account("STK 0123456789 ngân hàng " + name).accepted()).as(name)
                        .map(Indicator::key).hasValue(key);
            }
            for (String name : bank.vietnameseNames()) {
                assertThat(normaliser.account("Ngân hàng " + name + " 0123456789").accepted()).as(name)
                        .map(Indicator::key).hasValue(key);
            }
            assertThat(normaliser.account(bank.displayName() + " 0123456789").accepted()).as(bank.displayName())
                    .map(Indicator::key).hasValue(key);
        }));
    }

    @Test
    void aMalformedFileFailsNamingTheLine() {
        assertThatThrownBy(() -> Bank.parse(List.of("# source", HEADER, "vcb,970436,Vietcombank,NH,vcb,",
                "vcbx,970436,Other,NH,other,")))
                .hasMessageContaining("line 4").hasMessageContaining("BIN");
        assertThatThrownBy(() -> Bank.parse(List.of(HEADER, "vcb,970436,Vietcombank,NH,vcb,",
                "abc,970437,Other,NH,v.c.b,")))
                .hasMessageContaining("line 3").hasMessageContaining("'vcb'");
        assertThatThrownBy(() -> Bank.parse(List.of(HEADER, "VCB,970436,Vietcombank,NH,vcb,")))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> Bank.parse(List.of(HEADER, "vcb,970436,Vietcombank")))
                .hasMessageContaining("line 2: expected 6 columns");
    }
}
