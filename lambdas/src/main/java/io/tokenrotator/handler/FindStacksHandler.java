package io.tokenrotator.handler;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.contract.FindStacksInput;
import io.tokenrotator.contract.FindStacksOutput;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.store.S3RunStore;

/** Lambda: Find Stacks. Environment: RUN_BUCKET, and optional PARAMETER_NAME, STACK_NAME_PREFIX, SELECTION. */
public final class FindStacksHandler extends JsonHandler<FindStacksInput, FindStacksOutput> {
    private final FindStacksService service;
    private final InputRules.Defaults defaults;

    public FindStacksHandler() {
        this(AwsClients.fromEnvironment(), InputRules.Defaults.fromEnvironment(System::getenv));
    }

    private FindStacksHandler(AwsClients clients, InputRules.Defaults defaults) {
        this(new FindStacksService(new SdkCloudFormation(clients.cloudFormation()),
                new SdkSecrets(clients.secretsManager()), S3RunStore.fromEnvironment(clients.s3(), System::getenv),
                JsonLog.stdout()), defaults);
    }

    public FindStacksHandler(FindStacksService service, InputRules.Defaults defaults) {
        super(FindStacksInput.class);
        this.service = service;
        this.defaults = InputRules.checkDefaults(defaults);
    }

    @Override
    public FindStacksOutput handle(FindStacksInput input) {
        return service.find(input, defaults);
    }
}
