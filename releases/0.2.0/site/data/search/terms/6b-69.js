NC.data("search/terms/6b-69",{"killed":[44,51,54,274,275],"killing":[44,236]});
