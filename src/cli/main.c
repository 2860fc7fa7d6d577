/* main.c: the assure command: a table of subcommands, help and version. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const cli_opt help_opts[] = {
    {"man", NULL, false, "print the manual page (roff), made from the command and option tables"},
    {"completion", NULL, false, "print a bash completion script, made from the same tables"},
    {NULL, NULL, false, NULL},
};

static int cmd_help(const cli_args *args);

static const cli_command commands[] = {
    {"check", "assure check [OPTIONS] [--repo DIR [--rev REV | --worktree | --index] | PATH...]",
     "evaluate the rules on one commit, a working tree or plain files", cli_check_opts, cli_check, NULL,
     cli_check_choices},
    {"rules", "assure rules (lint [PATH...] | list | params) [--rules DIR] [--param N=V] [--params FILE]",
     "check rule files for errors, list the rules, or list the params", cli_rules_opts, cli_rules,
     "  0  no problem in the rule files (lint), or the list was printed\n", NULL},
    {"explain", "assure explain [--rules DIR] RULE-ID", "print everything a rule carries, with examples",
     cli_explain_opts, cli_explain,
     "  0  the rule was explained and its examples behave as it says\n"
     "  1  an example does not: the fail example raises nothing, or the pass example raises it\n",
     NULL},
    {"diff", "assure diff --repo DIR [OPTIONS] BASE HEAD | BASE..HEAD",
     "the findings HEAD brought relative to BASE and those it resolved, for a merge request", cli_diff_opts,
     cli_diff,
     "  0  no new finding at or above --fail-on, and HEAD was checked completely\n"
     "  1  new findings at or above --fail-on, or the check of HEAD was incomplete\n",
     NULL},
    {"audit", "assure audit --repo DIR [OPTIONS] [RANGE]",
     "check every commit of a range: what each one broke and fixed, and a summary", cli_audit_opts, cli_audit,
     "  0  no finding at or above --fail-on is open at the end, and the last commit was checked "
     "completely\n"
     "  1  findings at or above --fail-on are open at the end, or the last check was incomplete\n",
     cli_audit_choices},
    {"history", "assure history --repo DIR [--rule ID] [--subject S] [--path P] [OPTIONS] [RANGE]",
     "when each finding was open: the commit that introduced it and the one that resolved it",
     cli_history_opts, cli_history, "  0  the intervals were listed\n", NULL},
    {"config", "assure config [--repo DIR] [--rev REV | --worktree | --index] [OPTIONS]",
     "print the configuration a check would use (assure.json and the command line), and where each "
     "value came from",
     cli_config_opts, cli_config, "  0  the configuration was printed\n", NULL},
    {"help", "assure help [COMMAND | --man | --completion]", "show help for assure or one command", help_opts,
     cmd_help, "  0  the help was printed\n", NULL},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static const char *current_command = "";

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "assure %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	const cli_command *c = find_command(cmd);
	if (c)
		fprintf(stderr, "usage: %s\n", c->usage);
	return ASSURE_EXIT_USAGE;
}

/* What exit 2 means, for --help, the man page and the README alike. */
static const char usage_exit_text[] =
    "usage error (a run that would look at nothing counts: no return selected, a rule id the "
    "rule set does not have, an audit's --paths that names no file), a rule set that cannot be read or has "
    "problems, a repository that cannot be read, output that cannot be written";

static void print_exit_codes(const char *exits)
{
	printf("\nexit codes:\n");
	if (exits)
		fputs(exits, stdout);
	else
		printf("  %d  no finding at or above --fail-on, and the run was complete\n"
		       "  %d  findings at or above --fail-on, or the run was incomplete\n",
		       ASSURE_EXIT_OK, ASSURE_EXIT_FINDINGS);
	printf("  %d  %s\n", ASSURE_EXIT_USAGE, usage_exit_text);
}

static void print_main_help(void)
{
	printf("assure %s: rules-based assurance checks on returns kept in git\n\n"
	       "usage: assure COMMAND [OPTIONS]\n       assure --version\n\ncommands:\n",
	       ASSURE_VERSION);
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n'assure COMMAND --help' shows a command's options.\n");
	print_exit_codes(NULL);
}

static void print_command_help(const cli_command *c)
{
	printf("usage: %s\n\n%s\n\noptions:\n", c->usage, c->summary);
	cli_print_options(c->opts, c->choices);
	print_exit_codes(c->exits);
}

/* Text for roff: a backslash, a hyphen and a line-leading dot or quote are roff's own. */
static void roff(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\\')
			fputs("\\e", stdout);
		else if (*p == '-')
			fputs("\\-", stdout);
		else if ((*p == '.' || *p == '\'') && (p == s || p[-1] == '\n'))
			fputs("\\&", stdout), putchar(*p);
		else
			putchar(*p);
	}
}

/* The exit codes of a command, as print_exit_codes prints them, as a roff list. */
static void man_exits(const char *exits)
{
	char text[2048];
	if (!exits) {
		snprintf(text, sizeof(text),
		         "  %d  no finding at or above --fail-on, and the run was complete\n"
		         "  %d  findings at or above --fail-on, or the run was incomplete\n",
		         ASSURE_EXIT_OK, ASSURE_EXIT_FINDINGS);
		exits = text;
	}
	for (const char *line = exits; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char one[512];
		snprintf(one, sizeof(one), "%.*s", (int)len, line);
		char *p = one;
		while (*p == ' ')
			p++;
		char *rest = strchr(p, ' ');
		if (rest) {
			*rest++ = '\0';
			while (*rest == ' ')
				rest++;
			printf(".TP\n\\fB%s\\fR\n", p);
			roff(rest);
			putchar('\n');
		}
		line = end ? end + 1 : line + len;
	}
}

/* The manual page, from the same tables as --help: they cannot say different things. */
static void print_man(void)
{
	printf(".TH ASSURE 1 \"\" \"assure %s\" \"User Commands\"\n", ASSURE_VERSION);
	printf(".SH NAME\nassure \\- rules\\-based assurance checks on returns kept in git\n");
	printf(".SH SYNOPSIS\n\\fBassure\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n");
	printf(".SH DESCRIPTION\n");
	roff("assure evaluates a declarative rule set on JSON returns read straight from a git "
	     "repository, a working tree or plain files, and reports every breach with the file, line "
	     "and column it comes from; its audit says which commit introduced a breach and which "
	     "cleared it. docs/rules.md and docs/audit-format.md, installed with the rules, are the "
	     "reference.");
	printf("\n.SH COMMANDS\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const cli_command *c = &commands[i];
		printf(".SS %s\n", c->name);
		printf(".B ");
		roff(c->usage);
		printf("\n.PP\n");
		roff(c->summary);
		printf(".\n");
		for (const cli_opt *o = c->opts; o->name; o++) {
			printf(".TP\n\\fB\\-\\-");
			roff(o->name);
			printf("\\fR");
			if (o->arg) {
				printf(" \\fI");
				roff(o->arg);
				printf("\\fR");
			}
			printf("\n");
			roff(o->help);
			const char *name, *description;
			for (size_t k = 0; c->choices && c->choices(o->name, k, &name, &description); k++) {
				roff(k ? ", " : ": ");
				roff(name);
			}
			if (o->repeatable)
				printf(" (repeatable)");
			printf("\n");
		}
		/* the values of an option that takes a fixed set, each with its description */
		for (const cli_opt *o = c->opts; c->choices && o->name; o++) {
			const char *name, *description;
			for (size_t k = 0; c->choices(o->name, k, &name, &description); k++) {
				if (k == 0) {
					printf(".PP\nValues of \\fB\\-\\-");
					roff(o->name);
					printf("\\fR:\n");
				}
				printf(".TP\n\\fB");
				roff(name);
				printf("\\fR\n");
				roff(description);
				printf("\n");
			}
		}
		printf(".PP\nExit status:\n");
		man_exits(c->exits);
	}
	printf(".SH FILES\n.TP\n\\fB%s\\fR\n", ASSURE_CONFIG_FILE);
	roff("the configuration of a repository of returns, at its root, read from the commit "
	     "checked (docs/configuration.md); the command line overrides each key:");
	printf("\n");
	size_t nkeys;
	const assure_config_key *keys = assure_config_keys(&nkeys);
	for (size_t k = 0; k < nkeys; k++) {
		printf(".RS\n.TP\n\\fB");
		roff(keys[k].key);
		printf("\\fR (\\-\\-");
		roff(keys[k].option);
		printf(")\n");
		roff(keys[k].help);
		printf("; ");
		roff(keys[k].value_help);
		printf(", default ");
		roff(keys[k].def);
		printf("\n.RE\n");
	}
	printf(".SH EXIT STATUS\n");
	man_exits(NULL);
	printf(".TP\n\\fB%d\\fR\n", ASSURE_EXIT_USAGE);
	roff(usage_exit_text);
	printf("\n.SH ENVIRONMENT\n.TP\n\\fBNO_COLOR\\fR\nno colour, even on a terminal\n");
}

/* A bash completion script, from the same tables. */
static void print_completion(void)
{
	printf("# bash completion for assure %s, made by 'assure help --completion'\n", ASSURE_VERSION);
	printf("_assure() {\n\tlocal cur=${COMP_WORDS[COMP_CWORD]} words=\n");
	printf("\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n\t\twords=\"");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("%s%s", i ? " " : "", commands[i].name);
	printf(" --version --help\"\n\telse\n\t\tcase ${COMP_WORDS[1]} in\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		printf("\t\t%s) words=\"", commands[i].name);
		for (const cli_opt *o = commands[i].opts; o->name; o++)
			printf("--%s ", o->name);
		printf("--help\" ;;\n");
	}
	printf("\t\tesac\n\tfi\n\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n");
	printf("complete -o default -F _assure assure\n");
}

static int cmd_help(const cli_args *args)
{
	if (cli_flag(args, "man") || cli_flag(args, "completion")) {
		if (cli_flag(args, "man"))
			print_man();
		else
			print_completion();
		return cli_finish_output() == 0 ? ASSURE_EXIT_OK : ASSURE_EXIT_USAGE;
	}
	if (args->npositional == 0) {
		print_main_help();
		return cli_finish_output() == 0 ? ASSURE_EXIT_OK : ASSURE_EXIT_USAGE;
	}
	const cli_command *c = find_command(args->positional[0]);
	if (!c)
		return cli_usage_error("help", "unknown command '%s'", args->positional[0]);
	print_command_help(c);
	return ASSURE_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: assure COMMAND [OPTIONS]   (assure help lists the commands)\n");
		return ASSURE_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("assure %s\n", ASSURE_VERSION);
		return cli_finish_output() == 0 ? ASSURE_EXIT_OK : ASSURE_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_main_help();
		return cli_finish_output() == 0 ? ASSURE_EXIT_OK : ASSURE_EXIT_USAGE;
	}
	const cli_command *c = find_command(argv[1]);
	if (!c) {
		const char *names[NCOMMANDS];
		for (size_t i = 0; i < NCOMMANDS; i++)
			names[i] = commands[i].name;
		const char *near = cli_did_you_mean(argv[1], strlen(argv[1]), names, NCOMMANDS);
		if (near)
			fprintf(stderr, "assure: unknown command '%s' (did you mean '%s'?)\n", argv[1], near);
		else
			fprintf(stderr, "assure: unknown command '%s'\n", argv[1]);
		fprintf(stderr, "usage: assure COMMAND [OPTIONS]   (assure help lists the commands)\n");
		return ASSURE_EXIT_USAGE;
	}
	current_command = c->name;
	cli_args args;
	if (cli_parse(&args, c->name, c->opts, argc - 2, argv + 2) < 0) {
		fprintf(stderr, "usage: %s\n", c->usage);
		return ASSURE_EXIT_USAGE;
	}
	if (args.help) {
		print_command_help(c);
		return cli_finish_output() == 0 ? ASSURE_EXIT_OK : ASSURE_EXIT_USAGE;
	}
	int rc = c->run(&args);
	if (cli_finish_output() < 0)
		return ASSURE_EXIT_USAGE;
	return rc;
}
