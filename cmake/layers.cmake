# The layers of the code, lowest first. A file includes headers of its own layer and of the
# layers below it, never above: cmake/check_layers.cmake checks every file at every build, and
# an upward include fails the build. A file is placed by its name (without extension); the files
# under src/checks/, src/report/ and src/cli/ by their folder. A new file is added here.
#   foundation  helpers every layer uses: results, places, lists, temporary files
#   input       reading files: the splitter, the YAML parser and tree, the spool
#   model       what the input says: objects, pod specs, node pools, waivers, findings
#   knowledge   what is known of the target OSes: check catalogue, profiles, evidence, components
#   analysis    what a workload does and where it can land: evidence, shell, placement, pools
#   checks      the checks, their context and registry
#   pipeline    the run: stages, whole-input phase, folding, suppressions, Helm mapping, baseline
#   reports     the output formats
#   cli         the command line and its configuration file
set(IMMUTALINT_LAYERS foundation input model knowledge analysis checks pipeline reports cli)
set(IMMUTALINT_LAYER_foundation ascii result location enum_names text_list suggest cpus temp_file job_queue)
set(IMMUTALINT_LAYER_input inputs document_split yaml_parse yaml_tree spool)
set(IMMUTALINT_LAYER_model kube_object pod_spec node_selection node_pools finding list_reassembly waiver record_codec)
set(IMMUTALINT_LAYER_knowledge catalogue catalogue_data target fact_key fact_keys evidence_catalogue node_os components)
set(IMMUTALINT_LAYER_analysis evidence evidence_reader evidence_commands evidence_known_installers shell shell_internal shell_script_reader placement scheduling_pools input_index device_claims)
set(IMMUTALINT_LAYER_checks check check_context check_registry node_pool_blocker)
set(IMMUTALINT_LAYER_pipeline lint lint_session session_reading session_judging pool_targets suppression finding_store cause_folding shared_causes helm_mapping baseline)
set(IMMUTALINT_LAYER_reports report escape)
set(IMMUTALINT_LAYER_cli config)
set(IMMUTALINT_LAYER_FOLDERS "src/checks/=checks" "src/report/=reports" "src/cli/=cli")
