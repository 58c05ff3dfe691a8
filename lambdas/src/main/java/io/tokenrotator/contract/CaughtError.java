package io.tokenrotator.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An error as a Step Functions Catch hands it on: the error name (a Java class name here) and its cause. */
public record CaughtError(@JsonProperty("Error") String error, @JsonProperty("Cause") String cause) {}
