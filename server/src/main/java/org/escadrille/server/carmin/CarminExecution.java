package org.escadrille.server.carmin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * CARMIN's execution, in requests and answers. As VIP gives it: {@code startDate} and {@code endDate} are
 * milliseconds since the epoch (the specification says seconds; VIP's client divides by 1000), paths in
 * {@code inputValues}, {@code returnedFiles} and {@code resultsLocation} (VIP's extension) are VIP paths,
 * and {@code returnedFiles} is always there, empty until outputs arrive (VIP's client reads it at once).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CarminExecution(String identifier, String name, String pipelineIdentifier, Long timeout, String status,
                       Map<String, JsonNode> inputValues, Map<String, List<String>> returnedFiles, String studyIdentifier,
                       Long errorCode, Long startDate, Long endDate, String resultsLocation) {
}
