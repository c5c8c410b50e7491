/* check_bed_facts.c - what meta.json says of the machine: CONFIG_HZ rounding, native or QEMU, and that a read never fails. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bed_facts.h"
#include "suites.h"

/* A jiffies count over a measured time is rounded to the usual CONFIG_HZ
 * when near one (a loaded machine sleeps a little longer), else kept raw. */
START_TEST(hz_rounded_to_the_usual_values)
{
	ck_assert_int_eq(bed_facts_hz_from(63, 251000), 250);	/* 251 Hz */
	ck_assert_int_eq(bed_facts_hz_from(25, 250000), 100);
	ck_assert_int_eq(bed_facts_hz_from(75, 250000), 300);
	ck_assert_int_eq(bed_facts_hz_from(248, 252000), 1000);	/* 984 Hz */
	ck_assert_int_eq(bed_facts_hz_from(128, 250000), 512);	/* no usual value near */
	ck_assert_int_eq(bed_facts_hz_from(10, 0), 0);
}
END_TEST

static const char cpuinfo_vm[] =
	"\nprocessor\t: 0\nvendor_id\t: AuthenticAMD\n"
	"flags\t\t: fpu vme de pse tsc msr hypervisor lahf_lm\nbogomips\t: 4000\n";
static const char cpuinfo_native[] =
	"\nprocessor\t: 0\nflags\t\t: fpu vme de pse tsc msr lahf_lm\n";
static const char cpuinfo_lookalike[] =
	"\nprocessor\t: 0\nflags\t\t: fpu hypervisorx tsc\n";

/* The runner's word on accel wins, then DMI naming QEMU, then the CPU flag. */
START_TEST(kernel_ran_from_accel_dmi_or_cpu_flag)
{
	char out[160];

	bed_facts_ran_from(cpuinfo_vm, "QEMU", "Standard PC (i440FX + PIIX, 1996)", "kvm",
			   out, sizeof(out));
	ck_assert_str_eq(out, "QEMU, accel kvm");
	bed_facts_ran_from(cpuinfo_native, "QEMU", "Standard PC (Q35 + ICH9, 2009)", NULL,
			   out, sizeof(out));
	ck_assert_str_eq(out, "QEMU (DMI: QEMU Standard PC (Q35 + ICH9, 2009))");
	bed_facts_ran_from(cpuinfo_vm, "", "", NULL, out, sizeof(out));
	ck_assert_str_eq(out, "virtual machine (hypervisor CPU flag)");
	bed_facts_ran_from(cpuinfo_vm, "Amazon EC2", "", "", out, sizeof(out));
	ck_assert_str_eq(out, "virtual machine (hypervisor CPU flag; DMI: Amazon EC2)");
	bed_facts_ran_from(cpuinfo_native, NULL, NULL, NULL, out, sizeof(out));
	ck_assert_str_eq(out, "native (no hypervisor CPU flag)");
	bed_facts_ran_from(cpuinfo_lookalike, NULL, NULL, NULL, out, sizeof(out));
	ck_assert_str_eq(out, "native (no hypervisor CPU flag)");
	/* no flags line (not x86) and no DMI: unknown, not guessed */
	bed_facts_ran_from("\nprocessor\t: 0\n", NULL, NULL, NULL, out, sizeof(out));
	ck_assert_str_eq(out, "");
	bed_facts_ran_from(NULL, NULL, NULL, NULL, out, sizeof(out));
	ck_assert_str_eq(out, "");
}
END_TEST

/* On this machine: CPUs and memory are always known; an HZ comes with its source. */
START_TEST(read_fills_cpus_memory_and_hz_with_source)
{
	struct bed_facts f;

	bed_facts_read(&f);
	ck_assert_int_ge(atoi(f.cpus), 1);
	ck_assert_ptr_nonnull(strstr(f.memory, " MiB"));
	ck_assert_int_eq(!f.hz[0], !f.hz_source[0]);
	if (f.hz[0])
		ck_assert_int_ge(atoi(f.hz), 24);
}
END_TEST

Suite *bed_facts_suite(void)
{
	Suite *s = suite_create("bed_facts");
	TCase *tc = tcase_create("facts");

	tcase_add_test(tc, hz_rounded_to_the_usual_values);
	tcase_add_test(tc, kernel_ran_from_accel_dmi_or_cpu_flag);
	tcase_add_test(tc, read_fills_cpus_memory_and_hz_with_source);
	suite_add_tcase(s, tc);
	return s;
}
