NC.data("search/terms/65-73",{"escalated":[74,163]});
