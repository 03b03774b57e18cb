package vn.bhxh.shield.deploy.ops;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import vn.bhxh.shield.runtime.PasswordHashes;

/**
 * Prints the BCrypt hash of a new dashboard password for {@code SINK_USERS} ({@code user:<hash>:scope}). The password
 * is read from the console without echo (asked twice), or as the first line of standard input when there is no
 * console (a pipe, {@code mvn exec}), never from an argument, which would stay in the shell's history and the process
 * list.
 */
@Command(name = "hash-password",
        description = {
            "In mã băm BCrypt của mật khẩu mới cho bảng điều khiển, để ghi vào SINK_USERS dạng"
                    + " người-dùng:<mã băm>:tỉnh|national. Mật khẩu đọc từ bàn phím (không hiện, hỏi hai lần) hoặc"
                    + " dòng đầu của đầu vào chuẩn, không bao giờ từ tham số.",
            "Prints the BCrypt hash of a new dashboard password for SINK_USERS as user:<hash>:province|national."
                    + " The password is read from the console (not echoed, asked twice) or the first line of standard"
                    + " input, never from an argument."})
public final class HashPassword implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        char[] password = read(System.console());
        try {
            spec.commandLine().getOut().println(PasswordHashes.hash(password));
            return 0;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] read(Console console) throws IOException {
        if (console == null) {
            return firstLine(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    spec.commandLine().getErr());
        }
        char[] first = console.readPassword("Mật khẩu mới / new password: ");
        char[] again = console.readPassword("Nhập lại / again: ");
        if (first == null || again == null || !Arrays.equals(first, again)) {
            throw new ParameterException(spec.commandLine(), "hai lần nhập không khớp / the two entries differ");
        }
        Arrays.fill(again, '\0');
        return first;
    }

    /** The first line of a pipe, without its line end; a prompt on {@code prompts} says where it is read from. */
    private static char[] firstLine(BufferedReader in, PrintWriter prompts) throws IOException {
        prompts.println("Mật khẩu mới, một dòng trên đầu vào chuẩn / new password, one line on standard input:");
        prompts.flush();
        String line = in.readLine();
        return line == null ? new char[0] : line.toCharArray();
    }
}
