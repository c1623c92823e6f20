package com.linbit.tunl.relay.api;

import com.linbit.tunl.relay.accounts.AccountRejectedException;
import com.linbit.tunl.relay.keys.DuplicateKeyException;
import com.linbit.tunl.relay.keys.KeyRejectedException;
import com.linbit.tunl.relay.keys.NotFoundException;
import com.linbit.tunl.relay.session.InvalidSessionRequestException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Maps the features' refusals to problem details; Spring's own errors keep its mapping. */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(KeyRejectedException.class)
    ProblemDetail keyRejected(KeyRejectedException e) {
        return problem(HttpStatus.BAD_REQUEST, "Key rejected", e.getMessage());
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail duplicateKey(DuplicateKeyException e) {
        return problem(HttpStatus.CONFLICT, "Key already registered", e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(InvalidSessionRequestException.class)
    ProblemDetail invalidSession(InvalidSessionRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid session request", e.getMessage());
    }

    @ExceptionHandler(BadRequestException.class)
    ProblemDetail badRequest(BadRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage());
    }

    @ExceptionHandler(AccountRejectedException.class)
    ProblemDetail accountRejected(AccountRejectedException e) {
        return e.isConflict()
                ? problem(HttpStatus.CONFLICT, "User already exists", e.getMessage())
                : problem(HttpStatus.BAD_REQUEST, "User rejected", e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
